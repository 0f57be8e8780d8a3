"""Credit-risk model lifecycle: data, EDA, features, training, explanation, serving."""
