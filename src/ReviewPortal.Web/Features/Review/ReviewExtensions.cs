namespace ReviewPortal.Web.Features.Review;

public static class ReviewExtensions
{
    public static IServiceCollection AddPortalReview(this IServiceCollection services) =>
        services.AddSingleton<ReviewQuery>();
}
