"""Scripted applicant turns shared by the agent, API, integration tests and benchmarks."""

# An employed applicant with a good profile: the offline advisor approves the car loan.
GOOD_APPLICANT = [
    "I want a car loan of $20,000 over 4 years",
    "I earn 85k a year, employed full-time for 6 years",
    "no debts and no other loans",
    "my credit score is 720",
    "savings of 12k and 3,000 in checking",
    "I rent, two kids",
    "bachelor's degree",
    "35",
]
