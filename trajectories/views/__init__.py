"""The trajectory pages, one module per concept: overview, board, members, sessions, practices."""
