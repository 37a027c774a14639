"""The classifier: features, training, the saved model and its evaluation."""
