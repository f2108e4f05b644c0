"""What the readers keep outside the server's memory (the Overview tables on disk, shared by replicas)."""
