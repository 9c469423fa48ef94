-- Privacy: the key that pseudonymises persons, one per workspace, made on first use.
CREATE TABLE workspace_secrets (
    workspace      VARCHAR NOT NULL,
    pseudonym_key  VARCHAR NOT NULL
);
