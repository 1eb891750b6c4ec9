using ReviewPortal.Domain.AgentHabits;
using ReviewPortal.Domain.Diff;

namespace ReviewPortal.Domain.Tests.AgentHabits;

public sealed class DependencyChangeDetectorTests
{
    private static List<AgentFinding> Detect(string path, string? oldContent, string? newContent) =>
        DependencyChangeDetector.Detect([FileLineChanges.Compute(path, oldContent, newContent)]).ToList();

    private static List<string> NewPackages(string path, string? oldContent, string? newContent) =>
        Detect(path, oldContent, newContent).Select(f => f.Detail).ToList();

    [Fact]
    public void Package_json_dependencies_are_named_but_scripts_and_metadata_are_not()
    {
        const string before = """
            {
              "name": "web",
              "version": "1.0.0",
              "scripts": { "build": "tsc" },
              "dependencies": {
                "react": "^18.2.0"
              }
            }
            """;
        const string after = """
            {
              "name": "web",
              "version": "1.1.0",
              "description": "2 apps in one",
              "scripts": { "build": "tsc", "lint": "eslint ." },
              "dependencies": {
                "react": "^18.3.0",
                "left-pad": "~1.3.0",
                "@scope/util": "workspace:*"
              },
              "devDependencies": {
                "vitest": "1.6.0"
              }
            }
            """;

        var findings = Detect("web/package.json", before, after);

        Assert.Equal(["new dependency left-pad", "new dependency @scope/util", "new dependency vitest"], findings.Select(f => f.Detail));
        Assert.Equal(8, findings[0].Line);
        Assert.All(findings, f => Assert.Equal(AgentFindingKind.NewDependency, f.Kind));
    }

    [Fact]
    public void NuGet_references_and_central_versions_are_named_and_version_bumps_are_not_new()
    {
        Assert.Equal(["new dependency Polly.Core"],
            NewPackages("src/App/App.csproj", "<ItemGroup>\n</ItemGroup>\n", "<ItemGroup>\n  <PackageReference Include=\"Polly.Core\" />\n</ItemGroup>\n"));
        Assert.Empty(NewPackages("Directory.Packages.props",
            "<PackageVersion Include=\"xunit\" Version=\"2.9.2\" />\n", "<PackageVersion Include=\"xunit\" Version=\"2.9.3\" />\n"));
        Assert.Equal(["new dependency Markdig"],
            NewPackages("Directory.Packages.props", "", "<PackageVersion Include=\"Markdig\" Version=\"1.6.0\" />\n"));
    }

    [Fact]
    public void Python_requirements_and_pyproject_entries_are_named()
    {
        Assert.Equal(["new dependency requests", "new dependency pydantic"],
            NewPackages("requirements-dev.txt", "# tools\n", "# tools\nrequests>=2.31\n-r base.txt\npydantic[email]==2.7  # models\n"));
        Assert.Equal(["new dependency httpx", "new dependency rich"],
            NewPackages("pyproject.toml", "[project]\nname = \"app\"\nversion = \"0.1.0\"\n",
                "[project]\nname = \"app\"\nversion = \"0.2.0\"\ndependencies = [\n  \"httpx>=0.27\",\n]\n[tool.poetry.dependencies]\nrich = \"^13.7\"\n"));
    }

    [Fact]
    public void Go_cargo_maven_and_gem_dependencies_are_named()
    {
        Assert.Equal(["new dependency github.com/google/uuid", "new dependency golang.org/x/sync"],
            NewPackages("go.mod", "module example.com/app\n\ngo 1.22\n",
                "module example.com/app\n\ngo 1.22\n\nrequire github.com/google/uuid v1.6.0\nrequire (\n\tgolang.org/x/sync v0.7.0\n)\n"));
        Assert.Equal(["new dependency serde", "new dependency tokio"],
            NewPackages("Cargo.toml", "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
                "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n[dependencies]\nserde = \"1.0\"\ntokio = { version = \"1\", features = [\"full\"] }\n"));
        Assert.Equal(["new dependency com.google.guava:guava"],
            NewPackages("pom.xml", "<dependencies>\n</dependencies>\n",
                "<dependencies>\n  <dependency>\n    <groupId>com.google.guava</groupId>\n    <artifactId>guava</artifactId>\n  </dependency>\n</dependencies>\n"));
        Assert.Equal(["new dependency sidekiq"], NewPackages("Gemfile", "gem 'rails'\n", "gem 'rails'\ngem \"sidekiq\", \"~> 7.0\"\n"));
    }

    [Theory]
    [InlineData("package-lock.json")]
    [InlineData("web/yarn.lock")]
    [InlineData("pnpm-lock.yaml")]
    [InlineData("src/App/packages.lock.json")]
    [InlineData("poetry.lock")]
    [InlineData("Cargo.lock")]
    [InlineData("go.sum")]
    [InlineData("Gemfile.lock")]
    public void A_changed_lock_file_is_a_finding(string path)
    {
        var finding = Assert.Single(Detect(path, "a\n", "a\nb\n"));

        Assert.Equal(path, finding.Path);
        Assert.Equal(2, finding.Line);
        Assert.Equal("lock file changed (+1 -0 lines)", finding.Detail);
    }

    [Fact]
    public void Ordinary_source_files_and_removed_dependencies_are_not_findings()
    {
        Assert.Empty(Detect("src/Orders.cs", "", "var x = \"left-pad\";\n\"react\": \"^18\"\n"));
        Assert.Empty(Detect("package.json", "\"react\": \"^18.2.0\",\n\"left-pad\": \"1.0.0\"\n", "\"react\": \"^18.2.0\"\n"));
        Assert.Empty(Detect("package-lock.json", "{}\n", null));
    }
}
