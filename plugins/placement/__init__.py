"""Military-transfer placement (军转干部安置): score, rank, and choose posts in rank order."""
