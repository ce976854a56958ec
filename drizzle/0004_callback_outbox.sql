CREATE TABLE `callback_outbox` (
	`id` int unsigned AUTO_INCREMENT NOT NULL,
	`integration_id` int unsigned NOT NULL,
	`mode` enum('activate','reauthorize') NOT NULL,
	`verifier_encrypted` varchar(255),
	`status` enum('PENDING','DELIVERED','FAILED') NOT NULL DEFAULT 'PENDING',
	`attempts` int unsigned NOT NULL DEFAULT 0,
	`last_error` varchar(255),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `callback_outbox_id` PRIMARY KEY(`id`),
	CONSTRAINT `callback_outbox_integration_unique` UNIQUE(`integration_id`)
);
--> statement-breakpoint
ALTER TABLE `callback_outbox` ADD CONSTRAINT `callback_outbox_integration_id_integration_id_fk` FOREIGN KEY (`integration_id`) REFERENCES `integration`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `callback_outbox_status_idx` ON `callback_outbox` (`status`,`updated_at`);