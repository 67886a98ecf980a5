CREATE TABLE `product_pairs` (
	`product_id` integer NOT NULL,
	`related_id` integer NOT NULL,
	`orders` integer NOT NULL,
	PRIMARY KEY(`product_id`, `related_id`)
);
--> statement-breakpoint
CREATE TABLE `product_recommendations` (
	`product_id` integer NOT NULL,
	`kind` text NOT NULL,
	`position` integer NOT NULL,
	`related_id` integer NOT NULL,
	PRIMARY KEY(`product_id`, `kind`, `position`),
	CONSTRAINT "product_recommendations_kind_check" CHECK("product_recommendations"."kind" in ('bought_together', 'similar'))
);
--> statement-breakpoint
CREATE TABLE `recommendation_progress` (
	`id` integer PRIMARY KEY NOT NULL,
	`paid_at` integer NOT NULL,
	`order_id` text NOT NULL,
	CONSTRAINT "recommendation_progress_single_row" CHECK("recommendation_progress"."id" = 1)
);
