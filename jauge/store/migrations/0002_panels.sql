-- Reference panels imported with `jauge panel import`: anonymised quantiles only.
CREATE TABLE panels (
    panel_id     VARCHAR PRIMARY KEY,
    imported_at  TIMESTAMP NOT NULL,
    body         JSON NOT NULL
);
