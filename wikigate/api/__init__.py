"""The Action API framework: requests, parameters, errors, formatting and the main pipeline."""
