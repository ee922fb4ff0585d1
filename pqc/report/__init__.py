"""Pictures and the self-contained HTML report of bench, handshake, verify and leak results."""
