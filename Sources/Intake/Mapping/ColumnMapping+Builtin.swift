extension ColumnMapping {
    /// Salesforce lead export (report or Data Loader): API field names as headers.
    public static let salesforce = ColumnMapping(
        name: "salesforce",
        columns: [
            .firstName: "FirstName", .lastName: "LastName", .email: "Email", .company: "Company",
            .title: "Title", .industry: "Industry", .employees: "NumberOfEmployees",
            .annualRevenue: "AnnualRevenue", .country: "Country", .source: "LeadSource",
            .status: "Status", .phone: "Phone",
        ],
        optionalFields: Set(LeadField.allCases))

    /// HubSpot contact export: property labels as headers.
    public static let hubspot = ColumnMapping(
        name: "hubspot",
        columns: [
            .firstName: "First Name", .lastName: "Last Name", .email: "Email", .company: "Company Name",
            .title: "Job Title", .industry: "Industry", .employees: "Number of Employees",
            .annualRevenue: "Annual Revenue", .country: "Country/Region", .source: "Original Source",
            .phone: "Phone Number",
        ],
        optionalFields: Set(LeadField.allCases))
}
