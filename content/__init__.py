"""The DX guidebook as Wagtail pages: editions and chapters, blocks, the glossary, Japanese
search, PDFs and reading records."""
