-- Drafts arrive as Word and OpenDocument files too (converted by pandoc): a
-- version records the format of the file it was imported from.
ALTER TABLE document_versions DROP CONSTRAINT document_versions_source_format_check;
ALTER TABLE document_versions ADD CONSTRAINT document_versions_source_format_check
    CHECK (source_format IN ('markdown', 'text', 'html', 'docx', 'odt'));
