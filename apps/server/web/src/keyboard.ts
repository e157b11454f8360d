/** What the viewer's keyboard shortcuts do. */
export interface ShortcutActions {
  togglePlay(): void;
  step(): void;
  reset(): void;
  zoomIn(): void;
  zoomOut(): void;
}

/** Elements whose own keys (typing, choosing) must win over the page's shortcuts. */
function isEditing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable ||
    target instanceof HTMLInputElement ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement
  );
}

/**
 * Installs the page's shortcuts: Space play/pause, S or → one step, R reset, + and − zoom.
 * A focused text box or list keeps its keys, and Space or Enter on a focused button
 * presses that button as usual. Returns a function that removes the shortcuts.
 */
export function installShortcuts(target: Window, actions: ShortcutActions): () => void {
  const onKeyDown = (event: KeyboardEvent): void => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    if (isEditing(event.target)) return;
    const onButton = event.target instanceof HTMLButtonElement;
    switch (event.key) {
      case ' ':
        if (onButton) return;
        actions.togglePlay();
        break;
      case 's':
      case 'S':
      case 'ArrowRight':
        actions.step();
        break;
      case 'r':
      case 'R':
        actions.reset();
        break;
      case '+':
      case '=':
        actions.zoomIn();
        break;
      case '-':
      case '_':
        actions.zoomOut();
        break;
      default:
        return;
    }
    event.preventDefault();
  };
  target.addEventListener('keydown', onKeyDown);
  return () => target.removeEventListener('keydown', onKeyDown);
}
