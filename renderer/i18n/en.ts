import type { Messages } from './it.ts';

export const en: Messages = {
  app: {
    name: 'Sportello',
    loading: 'Loading…',
  },
  env: {
    prova: 'Trial',
    sandbox: 'Sandbox',
    produzione: 'Production',
  },
  home: {
    title: 'Welcome to the counter',
    services: '{{count}} services available',
  },
  errors: {
    unauthorized: 'The API key is invalid or expired: check it in Settings.',
    insufficient_credit: 'Not enough credit on the Openapi account (balance: {{balance}}). Top up and retry.',
    validation_failed: 'The data was not accepted: {{message}}',
    not_found: 'Not found on the service.',
    already_closed: 'The request was already submitted.',
    not_yet_available: 'The document is not ready yet: try again later.',
    conflict: 'Not allowed for this request.',
    server_error: 'The Openapi service has a temporary problem: retry in a few minutes.',
    bad_response: 'The service answered unexpectedly: retry; if it happens again tell support.',
    network: 'No connection to the service: check the network and retry.',
    timeout: 'The service did not answer in time: retry.',
    invalid_argument: 'Invalid data: {{message}}',
    no_api_key: 'No API key for this environment: add it in Settings.',
    vault_unavailable: 'The saved API key cannot be read: enter it again in Settings.',
    price_changed: 'The price changed since you confirmed it: check it and confirm again.',
    service_changed: 'Openapi changed the service: check the form again.',
    file_type: 'File type not accepted: use PDF, JPEG, PNG, WebP, TIFF or HEIC.',
    file_too_large: 'File too large: {{message}}',
    budget_exceeded: 'The attachments exceed the size allowed for a request: {{message}}',
    unsafe_archive: 'The document received is not safe and was not saved.',
    draft_not_found: 'Draft not found: it may have been sent or deleted.',
    request_not_found: 'Request not found.',
    not_allowed: 'Not allowed.',
    scanner_unavailable: 'Scanner unavailable: {{message}}',
    internal: 'Internal error: details are in the log.',
  },
};
