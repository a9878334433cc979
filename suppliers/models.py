# Supplier companies are portal Organisations of kind "supplier"; their registration details
# (KvK number, address, VAT number) and consultation responses arrive with the consultation.
