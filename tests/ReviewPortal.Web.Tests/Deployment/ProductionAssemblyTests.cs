using System.Reflection;
using ReviewPortal.Demo;

namespace ReviewPortal.Web.Tests.Deployment;

/// <summary>The demo data ships with the demo host only: the portal's assembly and its image hold none of it.</summary>
public sealed class ProductionAssemblyTests
{
    private static readonly Assembly Portal = typeof(Program).Assembly;
    private static readonly string DemoNamespace = typeof(DemoSeeder).Namespace!;

    [Fact]
    public void The_portal_assembly_has_no_demo_type_and_no_reference_to_the_demo()
    {
        Assert.DoesNotContain(Portal.GetTypes(), t => t.Namespace?.StartsWith(DemoNamespace, StringComparison.Ordinal) == true || t.Name.Contains("DemoSeeder", StringComparison.Ordinal));
        Assert.DoesNotContain(Portal.GetReferencedAssemblies(), a => a.Name == typeof(DemoSeeder).Assembly.GetName().Name);
        Assert.DoesNotContain(Portal.GetManifestResourceNames(), n => n.Contains("Repository/", StringComparison.Ordinal));
    }

    [Fact]
    public void The_portal_dependency_manifest_does_not_list_the_demo()
    {
        var deps = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, $"{Portal.GetName().Name}.deps.json"));

        Assert.DoesNotContain(typeof(DemoSeeder).Assembly.GetName().Name!, deps, StringComparison.Ordinal);
    }
}
