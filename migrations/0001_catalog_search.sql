-- Full-text search over published and draft products (the query filters by status).
-- rowid = products.id. Triggers keep the index in step with every catalog write.
CREATE VIEW `product_search_documents` AS
SELECT
  p.id AS product_id,
  p.title AS title,
  coalesce(p.brand, '') AS brand,
  coalesce((SELECT group_concat(v.sku, ' ') FROM variants v WHERE v.product_id = p.id), '') AS skus,
  coalesce((SELECT group_concat(c.name, ' ') FROM product_categories pc JOIN categories c ON c.id = pc.category_id WHERE pc.product_id = p.id), '') AS categories,
  p.description AS description
FROM products p;
--> statement-breakpoint
CREATE VIRTUAL TABLE `products_fts` USING fts5(
  title, brand, skus, categories, description,
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '2 3'
);
--> statement-breakpoint
CREATE TRIGGER `products_fts_after_insert` AFTER INSERT ON `products` BEGIN
  INSERT INTO products_fts (rowid, title, brand, skus, categories, description)
    SELECT product_id, title, brand, skus, categories, description FROM product_search_documents WHERE product_id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `products_fts_after_update` AFTER UPDATE OF title, brand, description ON `products` BEGIN
  DELETE FROM products_fts WHERE rowid = old.id;
  INSERT INTO products_fts (rowid, title, brand, skus, categories, description)
    SELECT product_id, title, brand, skus, categories, description FROM product_search_documents WHERE product_id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `products_fts_after_delete` AFTER DELETE ON `products` BEGIN
  DELETE FROM products_fts WHERE rowid = old.id;
END;
--> statement-breakpoint
CREATE TRIGGER `variants_fts_after_insert` AFTER INSERT ON `variants` BEGIN
  DELETE FROM products_fts WHERE rowid = new.product_id;
  INSERT INTO products_fts (rowid, title, brand, skus, categories, description)
    SELECT product_id, title, brand, skus, categories, description FROM product_search_documents WHERE product_id = new.product_id;
END;
--> statement-breakpoint
CREATE TRIGGER `variants_fts_after_update` AFTER UPDATE OF sku, product_id ON `variants` BEGIN
  DELETE FROM products_fts WHERE rowid IN (old.product_id, new.product_id);
  INSERT INTO products_fts (rowid, title, brand, skus, categories, description)
    SELECT product_id, title, brand, skus, categories, description FROM product_search_documents WHERE product_id IN (old.product_id, new.product_id);
END;
--> statement-breakpoint
CREATE TRIGGER `variants_fts_after_delete` AFTER DELETE ON `variants` BEGIN
  DELETE FROM products_fts WHERE rowid = old.product_id;
  INSERT INTO products_fts (rowid, title, brand, skus, categories, description)
    SELECT product_id, title, brand, skus, categories, description FROM product_search_documents WHERE product_id = old.product_id;
END;
--> statement-breakpoint
CREATE TRIGGER `product_categories_fts_after_insert` AFTER INSERT ON `product_categories` BEGIN
  DELETE FROM products_fts WHERE rowid = new.product_id;
  INSERT INTO products_fts (rowid, title, brand, skus, categories, description)
    SELECT product_id, title, brand, skus, categories, description FROM product_search_documents WHERE product_id = new.product_id;
END;
--> statement-breakpoint
CREATE TRIGGER `product_categories_fts_after_delete` AFTER DELETE ON `product_categories` BEGIN
  DELETE FROM products_fts WHERE rowid = old.product_id;
  INSERT INTO products_fts (rowid, title, brand, skus, categories, description)
    SELECT product_id, title, brand, skus, categories, description FROM product_search_documents WHERE product_id = old.product_id;
END;
--> statement-breakpoint
CREATE TRIGGER `categories_fts_after_rename` AFTER UPDATE OF name ON `categories` BEGIN
  DELETE FROM products_fts WHERE rowid IN (SELECT product_id FROM product_categories WHERE category_id = new.id);
  INSERT INTO products_fts (rowid, title, brand, skus, categories, description)
    SELECT product_id, title, brand, skus, categories, description FROM product_search_documents
    WHERE product_id IN (SELECT product_id FROM product_categories WHERE category_id = new.id);
END;
