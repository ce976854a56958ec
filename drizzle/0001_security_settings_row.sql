-- The settings table holds exactly one row, id 1; the application only ever reads and updates it.
INSERT INTO `security_settings` (`id`) VALUES (1);
