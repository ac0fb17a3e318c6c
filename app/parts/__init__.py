"""Parts (物料): issuing to orders, the keeper's other moves, stock, shortages, the parts master."""
