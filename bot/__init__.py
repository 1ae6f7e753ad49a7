"""Follow-Through: makes job seekers follow up after interviews."""
