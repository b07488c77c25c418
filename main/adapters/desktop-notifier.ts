import { Notification } from 'electron';
import type { Notifier } from '../ports.ts';

export const desktopNotifier: Notifier = {
  notify({ title, body }) {
    if (Notification.isSupported()) new Notification({ title, body, silent: false }).show();
  },
};
