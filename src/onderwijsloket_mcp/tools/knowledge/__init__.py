"""The knowledge-base tools: search_faq, search_articles and get_article, and the search they share."""
