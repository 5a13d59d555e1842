/**
 * The demo shop: a small e-commerce schema and data the project makes itself (no real person's
 * data), with the two things an on-call runbook looks for: a slow query (orders by customer
 * email, no index) and a bloated table (sessions, rewritten until most of it is dead rows).
 */
export const demoSeedVersion = 3;

export const demoSeedSql = `
CREATE TYPE order_status AS ENUM ('pending', 'paid', 'shipped', 'delivered', 'cancelled', 'refunded');
CREATE DOMAIN email_address AS text CHECK (VALUE ~ '^[^@\\s]+@[^@\\s]+$');

CREATE TABLE customers (
  id bigserial PRIMARY KEY,
  email email_address NOT NULL UNIQUE,
  full_name text NOT NULL,
  country char(2) NOT NULL DEFAULT 'DE',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE products (
  id serial PRIMARY KEY,
  sku text NOT NULL UNIQUE,
  title text NOT NULL,
  price_cents integer NOT NULL CHECK (price_cents > 0),
  stock integer NOT NULL DEFAULT 0 CHECK (stock >= 0)
);
CREATE TABLE orders (
  id bigserial PRIMARY KEY,
  customer_id bigint NOT NULL REFERENCES customers(id),
  status order_status NOT NULL DEFAULT 'pending',
  total_cents integer NOT NULL CHECK (total_cents >= 0),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX orders_created_at_idx ON orders (created_at);
CREATE TABLE order_items (
  order_id bigint NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
  product_id integer NOT NULL REFERENCES products(id),
  quantity integer NOT NULL CHECK (quantity > 0),
  price_cents integer NOT NULL,
  PRIMARY KEY (order_id, product_id)
);
CREATE TABLE sessions (
  id bigserial PRIMARY KEY,
  customer_id bigint REFERENCES customers(id),
  token text NOT NULL,
  last_seen timestamptz NOT NULL DEFAULT now()
);

INSERT INTO customers (email, full_name, country, created_at)
SELECT 'customer' || g || '@example.com', 'Customer ' || g, (ARRAY['DE','FR','NL','US','GB','PL'])[1 + g % 6],
       now() - (g % 700) * interval '1 day'
FROM generate_series(1, 2000) g;

INSERT INTO products (sku, title, price_cents, stock)
SELECT 'SKU-' || lpad(g::text, 4, '0'), 'Product ' || g, 199 + (g * 37) % 9800, (g * 13) % 250
FROM generate_series(1, 200) g;

INSERT INTO orders (customer_id, status, total_cents, created_at)
SELECT 1 + (g * 7919) % 2000,
       (ARRAY['pending','paid','shipped','delivered','delivered','delivered','cancelled','refunded']::order_status[])[1 + g % 8],
       500 + (g * 131) % 40000, now() - (g % 120) * interval '1 day' - (g % 1440) * interval '1 minute'
FROM generate_series(1, 20000) g;

INSERT INTO order_items (order_id, product_id, quantity, price_cents)
SELECT o.id, 1 + ((o.id * 7 + k) % 200)::int, 1 + (o.id + k) % 3, 199 + (o.id * k) % 9800
FROM orders o CROSS JOIN generate_series(1, 2) k;

INSERT INTO sessions (customer_id, token, last_seen)
SELECT 1 + g % 2000, md5(g::text), now() - (g % 90) * interval '1 day' FROM generate_series(1, 20000) g;
UPDATE sessions SET last_seen = last_seen + interval '1 second';
UPDATE sessions SET last_seen = last_seen + interval '1 second';
UPDATE sessions SET last_seen = last_seen + interval '1 second';
DELETE FROM sessions WHERE id % 4 <> 0;
ANALYZE;
`;
