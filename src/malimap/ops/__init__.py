"""Running the app for others: deployment checks and replicas."""
