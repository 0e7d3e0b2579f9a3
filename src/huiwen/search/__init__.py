"""Chinese full-text search and 相关阅读 (issue 5). `huiwen.search.text` has no Django import."""
