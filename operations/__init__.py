"""The operations that write: each checks with the pure rules, writes in one transaction
and records its audit entry, for an acting user passed in explicitly."""
