CREATE TABLE `catalog_category` (
	`id` int unsigned AUTO_INCREMENT NOT NULL,
	`parent_id` int unsigned,
	`name` varchar(255) NOT NULL,
	`url_key` varchar(255) NOT NULL,
	`position` int unsigned NOT NULL DEFAULT 0,
	`is_active` boolean NOT NULL DEFAULT true,
	CONSTRAINT `catalog_category_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `cms_block` (
	`id` int unsigned AUTO_INCREMENT NOT NULL,
	`identifier` varchar(100) NOT NULL,
	`title` varchar(255) NOT NULL,
	`content` mediumtext NOT NULL,
	`is_active` boolean NOT NULL DEFAULT true,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `cms_block_id` PRIMARY KEY(`id`),
	CONSTRAINT `cms_block_identifier_unique` UNIQUE(`identifier`)
);
--> statement-breakpoint
CREATE TABLE `cms_page` (
	`id` int unsigned AUTO_INCREMENT NOT NULL,
	`identifier` varchar(100) NOT NULL,
	`title` varchar(255) NOT NULL,
	`content` mediumtext NOT NULL,
	`is_active` boolean NOT NULL DEFAULT true,
	`meta_title` varchar(255),
	`meta_description` text,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `cms_page_id` PRIMARY KEY(`id`),
	CONSTRAINT `cms_page_identifier_unique` UNIQUE(`identifier`)
);
--> statement-breakpoint
CREATE TABLE `customer_address` (
	`id` int unsigned AUTO_INCREMENT NOT NULL,
	`customer_id` int unsigned NOT NULL,
	`street` varchar(255) NOT NULL,
	`city` varchar(128) NOT NULL,
	`postcode` varchar(32) NOT NULL,
	`country_id` varchar(2) NOT NULL,
	`telephone` varchar(32),
	`is_default_billing` boolean NOT NULL DEFAULT false,
	`is_default_shipping` boolean NOT NULL DEFAULT false,
	CONSTRAINT `customer_address_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `customer` (
	`id` int unsigned AUTO_INCREMENT NOT NULL,
	`email` varchar(254) NOT NULL,
	`firstname` varchar(128) NOT NULL,
	`lastname` varchar(128) NOT NULL,
	`group` enum('GENERAL','WHOLESALE','RETAILER') NOT NULL DEFAULT 'GENERAL',
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `customer_id` PRIMARY KEY(`id`),
	CONSTRAINT `customer_email_unique` UNIQUE(`email`)
);
--> statement-breakpoint
CREATE TABLE `sales_order_item` (
	`id` int unsigned AUTO_INCREMENT NOT NULL,
	`order_id` int unsigned NOT NULL,
	`sku` varchar(64) NOT NULL,
	`name` varchar(255) NOT NULL,
	`qty` decimal(12,4) NOT NULL,
	`price` decimal(12,4) NOT NULL,
	`row_total` decimal(12,4) NOT NULL,
	CONSTRAINT `sales_order_item_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `sales_order` (
	`id` int unsigned AUTO_INCREMENT NOT NULL,
	`increment_id` varchar(32) NOT NULL,
	`customer_id` int unsigned,
	`state` enum('NEW','PROCESSING','COMPLETE','CLOSED','CANCELED','HOLDED') NOT NULL,
	`status` varchar(32) NOT NULL,
	`hold_before_state` enum('NEW','PROCESSING','COMPLETE','CLOSED','CANCELED','HOLDED'),
	`hold_before_status` varchar(32),
	`currency` varchar(3) NOT NULL,
	`subtotal` decimal(12,4) NOT NULL,
	`shipping_amount` decimal(12,4) NOT NULL,
	`grand_total` decimal(12,4) NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `sales_order_id` PRIMARY KEY(`id`),
	CONSTRAINT `sales_order_increment_unique` UNIQUE(`increment_id`)
);
--> statement-breakpoint
CREATE TABLE `catalog_product_category` (
	`product_id` int unsigned NOT NULL,
	`category_id` int unsigned NOT NULL,
	`position` int unsigned NOT NULL DEFAULT 0,
	CONSTRAINT `catalog_product_category_pk` PRIMARY KEY(`product_id`,`category_id`)
);
--> statement-breakpoint
CREATE TABLE `catalog_product` (
	`id` int unsigned AUTO_INCREMENT NOT NULL,
	`sku` varchar(64) NOT NULL,
	`name` varchar(255) NOT NULL,
	`type` enum('SIMPLE','CONFIGURABLE','VIRTUAL','BUNDLE','GROUPED','DOWNLOADABLE') NOT NULL DEFAULT 'SIMPLE',
	`status` enum('ENABLED','DISABLED') NOT NULL DEFAULT 'ENABLED',
	`visibility` enum('NOT_VISIBLE','CATALOG','SEARCH','CATALOG_SEARCH') NOT NULL DEFAULT 'CATALOG_SEARCH',
	`price` decimal(12,4) NOT NULL,
	`special_price` decimal(12,4),
	`quantity` int NOT NULL DEFAULT 0,
	`stock_status` enum('IN_STOCK','OUT_OF_STOCK') NOT NULL DEFAULT 'IN_STOCK',
	`description` text,
	`url_key` varchar(255) NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `catalog_product_id` PRIMARY KEY(`id`),
	CONSTRAINT `catalog_product_sku_unique` UNIQUE(`sku`)
);
--> statement-breakpoint
CREATE TABLE `store_config` (
	`store_view_id` smallint unsigned NOT NULL,
	`store_name` varchar(128) NOT NULL,
	`base_currency` varchar(3) NOT NULL,
	`locale` varchar(16) NOT NULL,
	`timezone` varchar(64) NOT NULL,
	`base_url` varchar(255) NOT NULL,
	`secure_base_url` varchar(255) NOT NULL,
	CONSTRAINT `store_config_store_view_id` PRIMARY KEY(`store_view_id`)
);
--> statement-breakpoint
CREATE TABLE `store_group` (
	`id` smallint unsigned AUTO_INCREMENT NOT NULL,
	`website_id` smallint unsigned NOT NULL,
	`code` varchar(32) NOT NULL,
	`name` varchar(64) NOT NULL,
	CONSTRAINT `store_group_id` PRIMARY KEY(`id`),
	CONSTRAINT `store_group_code_unique` UNIQUE(`code`)
);
--> statement-breakpoint
CREATE TABLE `store_view` (
	`id` smallint unsigned AUTO_INCREMENT NOT NULL,
	`group_id` smallint unsigned NOT NULL,
	`code` varchar(32) NOT NULL,
	`name` varchar(64) NOT NULL,
	`sort_order` smallint unsigned NOT NULL DEFAULT 0,
	`is_active` boolean NOT NULL DEFAULT true,
	`is_default` boolean NOT NULL DEFAULT false,
	CONSTRAINT `store_view_id` PRIMARY KEY(`id`),
	CONSTRAINT `store_view_code_unique` UNIQUE(`code`)
);
--> statement-breakpoint
CREATE TABLE `store_website` (
	`id` smallint unsigned AUTO_INCREMENT NOT NULL,
	`code` varchar(32) NOT NULL,
	`name` varchar(64) NOT NULL,
	CONSTRAINT `store_website_id` PRIMARY KEY(`id`),
	CONSTRAINT `store_website_code_unique` UNIQUE(`code`)
);
--> statement-breakpoint
ALTER TABLE `customer_address` ADD CONSTRAINT `customer_address_customer_id_customer_id_fk` FOREIGN KEY (`customer_id`) REFERENCES `customer`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `sales_order_item` ADD CONSTRAINT `sales_order_item_order_id_sales_order_id_fk` FOREIGN KEY (`order_id`) REFERENCES `sales_order`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `sales_order` ADD CONSTRAINT `sales_order_customer_id_customer_id_fk` FOREIGN KEY (`customer_id`) REFERENCES `customer`(`id`) ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `catalog_product_category` ADD CONSTRAINT `catalog_product_category_product_id_catalog_product_id_fk` FOREIGN KEY (`product_id`) REFERENCES `catalog_product`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `catalog_product_category` ADD CONSTRAINT `catalog_product_category_category_id_catalog_category_id_fk` FOREIGN KEY (`category_id`) REFERENCES `catalog_category`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `store_config` ADD CONSTRAINT `store_config_store_view_id_store_view_id_fk` FOREIGN KEY (`store_view_id`) REFERENCES `store_view`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `store_group` ADD CONSTRAINT `store_group_website_id_store_website_id_fk` FOREIGN KEY (`website_id`) REFERENCES `store_website`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `store_view` ADD CONSTRAINT `store_view_group_id_store_group_id_fk` FOREIGN KEY (`group_id`) REFERENCES `store_group`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `catalog_category_parent_idx` ON `catalog_category` (`parent_id`,`position`);--> statement-breakpoint
CREATE INDEX `customer_address_customer_idx` ON `customer_address` (`customer_id`);--> statement-breakpoint
CREATE INDEX `customer_created_idx` ON `customer` (`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `sales_order_item_order_idx` ON `sales_order_item` (`order_id`);--> statement-breakpoint
CREATE INDEX `sales_order_customer_idx` ON `sales_order` (`customer_id`,`id`);--> statement-breakpoint
CREATE INDEX `sales_order_status_idx` ON `sales_order` (`status`,`id`);--> statement-breakpoint
CREATE INDEX `sales_order_created_idx` ON `sales_order` (`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `catalog_product_category_category_idx` ON `catalog_product_category` (`category_id`,`product_id`);--> statement-breakpoint
CREATE INDEX `catalog_product_status_idx` ON `catalog_product` (`status`,`id`);--> statement-breakpoint
CREATE INDEX `catalog_product_price_idx` ON `catalog_product` (`price`,`id`);--> statement-breakpoint
CREATE INDEX `catalog_product_name_idx` ON `catalog_product` (`name`,`id`);--> statement-breakpoint
CREATE INDEX `catalog_product_created_idx` ON `catalog_product` (`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `store_view_group_idx` ON `store_view` (`group_id`);