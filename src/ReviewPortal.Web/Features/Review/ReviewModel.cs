using ReviewPortal.Domain.Diff;
using ReviewPortal.Web.Data;

namespace ReviewPortal.Web.Features.Review;

public sealed record ReviewFile(string Path, string Status, int Additions, int Deletions, SideBySideDiff Diff);

public sealed record ReviewModel(Change Change, IReadOnlyList<ReviewFile> Files);
