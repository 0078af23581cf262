-- Placeholder: number 0010 belongs to a branch built in parallel (the
-- migrator refuses gaps, so 0011 needs a 0010 to load). Merging that branch
-- replaces this file with its own 0010; it changes nothing.
SELECT 1;
