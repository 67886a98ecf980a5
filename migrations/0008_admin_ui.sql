ALTER TABLE `products` ADD `seo_title` text;--> statement-breakpoint
ALTER TABLE `products` ADD `seo_description` text;--> statement-breakpoint
ALTER TABLE `notifications` ADD `order_id` text;--> statement-breakpoint
ALTER TABLE `notifications` ADD `text` text;--> statement-breakpoint
CREATE INDEX `notifications_order_idx` ON `notifications` (`order_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `notifications_recipient_idx` ON `notifications` (`recipient`,`created_at`);--> statement-breakpoint
UPDATE `notifications` SET `order_id` = json_extract(`data`, '$.orderId') WHERE `order_id` IS NULL;
