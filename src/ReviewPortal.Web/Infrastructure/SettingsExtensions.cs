namespace ReviewPortal.Web.Infrastructure;

public static class SettingsExtensions
{
    /// <summary>
    /// A settings section read while the services are still being registered (whether to add a worker, where the
    /// local cluster lives), before options can be injected; a missing section gives the class's defaults.
    /// </summary>
    public static TSettings ReadSettings<TSettings>(this IConfiguration configuration, string section)
        where TSettings : new()
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.GetSection(section).Get<TSettings>() ?? new TSettings();
    }
}
