using Cnh.Catalogue.Data;
using Cnh.Contracts;

namespace Cnh.Catalogue.Departments;

public static class DepartmentMapping
{
    public static DepartmentDefined ToDefinedEvent(this Department department) =>
        new(Guid.NewGuid(), DateTimeOffset.UtcNow, department.Code, department.NameVi, department.NameEn);
}
