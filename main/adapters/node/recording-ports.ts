import type { Notification, Notifier, Opener } from '../../ports.ts';

/** Opener and Notifier that remember what they were asked, for tests and the browser harness. */
export class RecordingOpener implements Opener {
  readonly opened: string[] = [];
  readonly shown: string[] = [];

  async openPath(path: string): Promise<string> {
    this.opened.push(path);
    return '';
  }

  showItemInFolder(path: string): void {
    this.shown.push(path);
  }
}

export class RecordingNotifier implements Notifier {
  readonly sent: Notification[] = [];

  notify(notification: Notification): void {
    this.sent.push(notification);
  }
}
