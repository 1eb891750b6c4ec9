using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.RenderTree;
using Microsoft.Extensions.Logging;

// A renderer of our own is the one way to render a component as a circuit does without bUnit (docs/decisions/0005);
// the framework only warns that Renderer's API may change between major versions.
#pragma warning disable BL0006

namespace ReviewPortal.Web.Tests.Infrastructure.Notifications;

/// <summary>
/// A renderer that says it is interactive, as a circuit's is, so pages behave as they do after prerendering
/// (<c>RendererInfo.IsInteractive</c>); it renders to nowhere and keeps the exceptions that would end a circuit.
/// </summary>
internal sealed class InteractiveTestRenderer(IServiceProvider services, ILoggerFactory loggerFactory) : Renderer(services, loggerFactory)
{
    private readonly Lock _lock = new();
    private readonly List<Exception> _errors = [];

    public override Dispatcher Dispatcher { get; } = Dispatcher.CreateDefault();

    protected override RendererInfo RendererInfo { get; } = new("Server", isInteractive: true);

    /// <summary>Exceptions that reached the renderer: on a real circuit each would have closed it.</summary>
    public IReadOnlyList<Exception> Errors
    {
        get
        {
            lock (_lock)
            {
                return _errors.ToList();
            }
        }
    }

    public int Renders { get; private set; }

    public Task<(TComponent Component, int Id)> RenderAsync<TComponent>()
        where TComponent : IComponent =>
        Dispatcher.InvokeAsync(async () =>
        {
            var component = (TComponent)InstantiateComponent(typeof(TComponent));
            var id = AssignRootComponentId(component);
            await RenderRootComponentAsync(id);
            return (component, id);
        });

    /// <summary>Closes a page as navigating away does: the component is disposed.</summary>
    public Task RemoveAsync(int componentId) => Dispatcher.InvokeAsync(() => RemoveRootComponent(componentId));

    protected override void HandleException(Exception exception)
    {
        lock (_lock)
        {
            _errors.Add(exception);
        }
    }

    protected override Task UpdateDisplayAsync(in RenderBatch renderBatch)
    {
        Renders++;
        return Task.CompletedTask;
    }
}
