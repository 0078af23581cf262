-- The owners' list of contributions received offline reads only those rows:
-- partial indexes keep it from scanning every comment and idea of a process.
CREATE INDEX comments_offline ON comments (document_id, created_at DESC, id DESC) WHERE channel <> 'online';
CREATE INDEX ideas_offline ON ideas (process_id, created_at DESC, id DESC) WHERE channel <> 'online';
