CREATE TABLE `email_reminders` (
	`email` text PRIMARY KEY NOT NULL,
	`last_sent_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `cart_index` ADD `remind_me` integer DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX `orders_email_idx` ON `orders` (lower("email"));