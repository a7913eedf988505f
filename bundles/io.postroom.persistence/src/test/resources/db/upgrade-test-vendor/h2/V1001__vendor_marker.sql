-- Test-only migration that only h2 runs: proves the {vendor} location works.
CREATE TABLE upgrade_vendor (vendor VARCHAR(20) NOT NULL);
INSERT INTO upgrade_vendor (vendor) VALUES ('h2');
