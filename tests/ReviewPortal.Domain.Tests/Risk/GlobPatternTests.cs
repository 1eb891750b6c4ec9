using ReviewPortal.Domain.Risk;

namespace ReviewPortal.Domain.Tests.Risk;

public sealed class GlobPatternTests
{
    [Theory]
    [InlineData("**/auth/**", "src/Api/auth/Login.cs", true)]
    [InlineData("**/auth/**", "auth/Login.cs", true)]
    [InlineData("**/auth/**", "src/Api/Auth/Login.cs", true)]
    [InlineData("**/auth/**", "src/author/Login.cs", false)]
    [InlineData("**/*Auth*.*", "src/Web/OAuthHandler.cs", true)]
    [InlineData("**/*Auth*.*", "AuthService.cs", true)]
    [InlineData("**/*Token*.*", "src/Payments/TokenService.cs", true)]
    [InlineData("**/*Token*.*", "src/Token/readme", false)]
    [InlineData("**/migrations/**", "db/migrations/2026_add.sql", true)]
    [InlineData("**/migrations/**", "db/migrations.md", false)]
    [InlineData("src/*.cs", "src/a/b.cs", false)]
    [InlineData("src/*.cs", "src/b.cs", true)]
    [InlineData("src/?.cs", "src/b.cs", true)]
    [InlineData("src/?.cs", "src/bb.cs", false)]
    [InlineData("**/*.sql", "schema.sql", true)]
    [InlineData("docs/**", "docs/a/b/c.md", true)]
    public void Matches_paths_like_git_globs(string pattern, string path, bool expected) =>
        Assert.Equal(expected, new GlobPattern(pattern).IsMatch(path));

    [Fact]
    public void Regex_characters_in_patterns_are_literal() =>
        Assert.False(new GlobPattern("src/a+b.cs").IsMatch("src/aab.cs"));

    [Fact]
    public void Backslashes_and_leading_slashes_are_normalised() =>
        Assert.True(new GlobPattern("**/security/**").IsMatch("\\src\\security\\Keys.cs"));
}
