"""The writes of evaluation and dynamic management, one module per part; each function one atomic, audited write."""
