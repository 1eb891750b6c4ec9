using ReviewPortal.Domain.Changes;

namespace ReviewPortal.Domain.Tests.Changes;

public sealed class ChangeEventLabelsTests
{
    public static TheoryData<ChangeEventKind> EveryKind() => [.. Enum.GetValues<ChangeEventKind>()];

    [Theory]
    [MemberData(nameof(EveryKind))]
    public void Every_kind_has_a_label_for_people_not_its_code_name(ChangeEventKind kind)
    {
        var label = kind.Label();

        Assert.False(string.IsNullOrWhiteSpace(label));
        // A two-word code name shown raw ("AutoAssigned") is what the label exists to avoid.
        Assert.DoesNotMatch("[a-z][A-Z]", label);
    }

    [Fact]
    public void Labels_tell_the_kinds_apart() =>
        Assert.Equal(Enum.GetValues<ChangeEventKind>().Length, Enum.GetValues<ChangeEventKind>().Select(k => k.Label()).Distinct(StringComparer.Ordinal).Count());

    [Fact]
    public void Automatic_assignment_reads_as_words() =>
        Assert.Equal("Assigned automatically", ChangeEventKind.AutoAssigned.Label());
}
