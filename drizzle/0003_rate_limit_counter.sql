CREATE TABLE `rate_limit_counter` (
	`bucket` varchar(191) NOT NULL,
	`window_start` bigint unsigned NOT NULL,
	`hits` int unsigned NOT NULL,
	CONSTRAINT `rate_limit_counter_pk` PRIMARY KEY(`bucket`,`window_start`)
);
--> statement-breakpoint
CREATE INDEX `rate_limit_counter_window_idx` ON `rate_limit_counter` (`window_start`);