using FsCheck;
using FsCheck.Fluent;
using ReviewPortal.Web.Infrastructure.Notifications;

namespace ReviewPortal.Web.Tests.Infrastructure.Notifications;

/// <summary>The NOTIFY payload: what one instance formats, every other instance reads back; nothing else on the channel harms a listener.</summary>
public sealed class ChangeNotificationPayloadProperties
{
    private static readonly char[] PayloadChars = "0123456789:-+ AaRrDdUuSs\u00e9\u0660\uff10\n\t\0".ToCharArray();

    private static Arbitrary<ChangeNotification> Notifications() =>
        (from id in Gen.Choose(0, int.MaxValue).Select(i => (long)i).Or(Gen.Elements(0L, 1L, long.MaxValue, (long)int.MaxValue + 1))
         from activity in Gen.Elements(Enum.GetValues<ChangeActivity>())
         select new ChangeNotification(id, activity)).ToArbitrary();

    // Strings near the format (digits, colons, activity names, signs, unicode digits) find more edge cases than random text.
    private static Arbitrary<string> PayloadLike() =>
        Gen.OneOf(
                Gen.ArrayOf(Gen.Elements(PayloadChars)).Select(cs => new string(cs)),
                from id in Gen.Elements("", "0", "-1", "+1", " 1", "00042", "99999999999999999999", "9223372036854775808", "٣")
                from separator in Gen.Elements(":", "::", "", " : ")
                from activity in Gen.Elements(Enum.GetNames<ChangeActivity>().Concat(["", "arrived", "Arrived,Revised", "1", "6", "999", " Decided", "Decided "]).ToArray())
                select id + separator + activity)
            .ToArbitrary();

    [Fact]
    public void Format_then_parse_gives_the_same_notification_for_every_activity() =>
        Prop.ForAll(Notifications(), n => ChangeNotifier.Parse(ChangeNotifier.Format(n)) == n).QuickCheckThrowOnFailure();

    [Fact]
    public void Payloads_stay_far_below_the_8000_byte_limit_of_notify() =>
        Prop.ForAll(Notifications(), n => ChangeNotifier.Format(n).Length < 64).QuickCheckThrowOnFailure();

    [Fact]
    public void Garbage_never_throws_and_whatever_parses_formats_back_to_itself() =>
        Prop.ForAll(ArbMap.Default.ArbFor<string>(), PayloadLike(), (random, near) =>
        {
            // Canonical payloads only: no signs, spaces, leading zeros, flag combinations or numeric activities slip through.
            foreach (var payload in new[] { random, near })
            {
                if (ChangeNotifier.Parse(payload) is { } parsed && ChangeNotifier.Format(parsed) != payload)
                {
                    return false;
                }
            }

            return true;
        }).QuickCheckThrowOnFailure();

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(":Arrived")]
    [InlineData("42")]
    [InlineData("42:")]
    [InlineData("42:arrived")]
    [InlineData("42:Arrived,Revised")]
    [InlineData("42:1")]
    [InlineData("042:Arrived")]
    [InlineData("-42:Arrived")]
    [InlineData(" 42:Arrived")]
    [InlineData("42:Arrived ")]
    [InlineData("99999999999999999999:Arrived")]
    [InlineData("٤٢:Arrived")]
    [InlineData("{\"changeId\":42}")]
    public void Payloads_this_portal_never_sends_are_ignored(string? payload) =>
        Assert.Null(ChangeNotifier.Parse(payload));

    [Fact]
    public void The_payload_is_the_id_and_the_activity_name() =>
        Assert.Equal(("42:Decided", "0:Resync"), (ChangeNotifier.Format(new ChangeNotification(42, ChangeActivity.Decided)), ChangeNotifier.Format(ChangeNotification.Resync)));
}
