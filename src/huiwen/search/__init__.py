"""Chinese full-text search and 相关阅读 (issue 5). `huiwen.text.chinese` has no Django import."""
