CREATE TABLE `admin_session` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`token_hash` char(64) NOT NULL,
	`admin_id` int unsigned NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`expires_at` datetime(3) NOT NULL,
	`revoked_at` datetime(3),
	CONSTRAINT `admin_session_id` PRIMARY KEY(`id`),
	CONSTRAINT `admin_session_token_hash_unique` UNIQUE(`token_hash`)
);
--> statement-breakpoint
CREATE TABLE `admin_user` (
	`id` int unsigned AUTO_INCREMENT NOT NULL,
	`username` varchar(40) NOT NULL,
	`email` varchar(254) NOT NULL,
	`password_hash` varchar(255) NOT NULL,
	`is_active` boolean NOT NULL DEFAULT true,
	`failure_count` int unsigned NOT NULL DEFAULT 0,
	`first_failure_at` datetime(3),
	`lock_expires_at` datetime(3),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `admin_user_id` PRIMARY KEY(`id`),
	CONSTRAINT `admin_user_username_unique` UNIQUE(`username`)
);
--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`occurred_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`action` varchar(64) NOT NULL,
	`admin_id` int unsigned,
	`admin_username` varchar(40),
	`integration_id` int unsigned,
	`integration_name` varchar(255),
	`request_id` varchar(64),
	`client_ip` varchar(45),
	`details` json,
	CONSTRAINT `audit_log_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `integration_acl_grant` (
	`integration_id` int unsigned NOT NULL,
	`resource_id` varchar(255) NOT NULL,
	CONSTRAINT `integration_acl_grant_pk` PRIMARY KEY(`integration_id`,`resource_id`)
);
--> statement-breakpoint
CREATE TABLE `integration` (
	`id` int unsigned AUTO_INCREMENT NOT NULL,
	`name` varchar(255) NOT NULL,
	`email` varchar(254),
	`callback_url` varchar(255),
	`identity_link_url` varchar(255),
	`status` enum('INACTIVE','ACTIVE','RESET') NOT NULL DEFAULT 'INACTIVE',
	`setup_type` enum('MANUAL','CONFIG') NOT NULL DEFAULT 'MANUAL',
	`resource_access` enum('ALL','CUSTOM') NOT NULL DEFAULT 'CUSTOM',
	`config_hash` char(64),
	`last_used_at` datetime(3),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `integration_id` PRIMARY KEY(`id`),
	CONSTRAINT `integration_name_unique` UNIQUE(`name`)
);
--> statement-breakpoint
CREATE TABLE `oauth_consumer` (
	`id` int unsigned AUTO_INCREMENT NOT NULL,
	`integration_id` int unsigned NOT NULL,
	`consumer_key` char(32) NOT NULL,
	`secret_encrypted` varchar(255) NOT NULL,
	`exchange_started_at` datetime(3),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `oauth_consumer_id` PRIMARY KEY(`id`),
	CONSTRAINT `oauth_consumer_integration_unique` UNIQUE(`integration_id`),
	CONSTRAINT `oauth_consumer_key_unique` UNIQUE(`consumer_key`)
);
--> statement-breakpoint
CREATE TABLE `oauth_nonce` (
	`consumer_id` int unsigned NOT NULL,
	`token` varchar(32) NOT NULL DEFAULT '',
	`nonce` varchar(64) NOT NULL,
	`timestamp` int unsigned NOT NULL,
	CONSTRAINT `oauth_nonce_pk` PRIMARY KEY(`consumer_id`,`token`,`nonce`)
);
--> statement-breakpoint
CREATE TABLE `oauth_token` (
	`id` int unsigned AUTO_INCREMENT NOT NULL,
	`consumer_id` int unsigned NOT NULL,
	`type` enum('verifier','request','access') NOT NULL,
	`token` char(32) NOT NULL,
	`secret_encrypted` varchar(255) NOT NULL,
	`verifier_hash` char(64),
	`revoked` boolean NOT NULL DEFAULT false,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `oauth_token_id` PRIMARY KEY(`id`),
	CONSTRAINT `oauth_token_token_unique` UNIQUE(`token`),
	CONSTRAINT `oauth_token_consumer_type_unique` UNIQUE(`consumer_id`,`type`)
);
--> statement-breakpoint
CREATE TABLE `security_settings` (
	`id` tinyint unsigned NOT NULL,
	`allow_anonymous_guest_access` boolean NOT NULL DEFAULT false,
	`allow_integration_tokens_as_bearer` boolean NOT NULL DEFAULT false,
	`allow_hmac_sha1` boolean NOT NULL DEFAULT false,
	`require_body_hash` boolean NOT NULL DEFAULT false,
	`allow_anonymous_introspection` boolean NOT NULL DEFAULT false,
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_by_admin_id` int unsigned,
	CONSTRAINT `security_settings_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
ALTER TABLE `admin_session` ADD CONSTRAINT `admin_session_admin_id_admin_user_id_fk` FOREIGN KEY (`admin_id`) REFERENCES `admin_user`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `integration_acl_grant` ADD CONSTRAINT `integration_acl_grant_integration_id_integration_id_fk` FOREIGN KEY (`integration_id`) REFERENCES `integration`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `oauth_consumer` ADD CONSTRAINT `oauth_consumer_integration_id_integration_id_fk` FOREIGN KEY (`integration_id`) REFERENCES `integration`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `oauth_nonce` ADD CONSTRAINT `oauth_nonce_consumer_id_oauth_consumer_id_fk` FOREIGN KEY (`consumer_id`) REFERENCES `oauth_consumer`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `oauth_token` ADD CONSTRAINT `oauth_token_consumer_id_oauth_consumer_id_fk` FOREIGN KEY (`consumer_id`) REFERENCES `oauth_consumer`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `security_settings` ADD CONSTRAINT `security_settings_updated_by_admin_id_admin_user_id_fk` FOREIGN KEY (`updated_by_admin_id`) REFERENCES `admin_user`(`id`) ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `admin_session_admin_idx` ON `admin_session` (`admin_id`);--> statement-breakpoint
CREATE INDEX `admin_session_expires_idx` ON `admin_session` (`expires_at`);--> statement-breakpoint
CREATE INDEX `audit_log_integration_idx` ON `audit_log` (`integration_id`,`id`);--> statement-breakpoint
CREATE INDEX `audit_log_action_idx` ON `audit_log` (`action`,`id`);--> statement-breakpoint
CREATE INDEX `integration_status_idx` ON `integration` (`status`,`id`);--> statement-breakpoint
CREATE INDEX `integration_setup_type_idx` ON `integration` (`setup_type`,`id`);--> statement-breakpoint
CREATE INDEX `integration_created_idx` ON `integration` (`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `oauth_nonce_timestamp_idx` ON `oauth_nonce` (`timestamp`);