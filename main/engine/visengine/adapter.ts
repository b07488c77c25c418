import type { Engine, Submission } from '../engine.ts';
import type { VisengineClient } from './client.ts';
import { createBody, toOutputs, toPriceCheck, toRemoteRequest, toRemoteSummary } from './mapping.ts';

/**
 * The Engine port on Visengine: two-phase submission as `POST /richiesta` with `state:0` then
 * `PUT /richiesta/{id}` with `state:1`, a price check as `test:true`, cancel as the unpublished
 * `DELETE /richiesta/{id}`, outputs as `GET /documento/{id}`'s zip.
 */
export class VisengineEngine implements Engine {
  readonly baseUrl: string;
  private readonly client: VisengineClient;

  constructor(client: VisengineClient) {
    this.client = client;
    this.baseUrl = client.baseUrl;
  }

  listServices() {
    return this.client.listServices();
  }

  getService(hash: string) {
    return this.client.getService(hash);
  }

  async priceCheck(submission: Submission) {
    return toPriceCheck(await this.client.checkPrice(createBody(submission)));
  }

  async open(submission: Submission) {
    return toRemoteRequest(await this.client.createRequest(createBody(submission, 0)));
  }

  async close(id: string, values?: Record<string, string> | null) {
    const body = values ? { json_visura: values, state: 1 as const } : { state: 1 as const };
    return toRemoteRequest(await this.client.updateRequest(id, body));
  }

  async get(id: string) {
    return toRemoteRequest(await this.client.getRequest(id));
  }

  async list() {
    return (await this.client.listRequests()).map((r) => toRemoteSummary(r));
  }

  cancel(id: string, reason: string) {
    return this.client.cancelRequest(id, reason);
  }

  async chooseResult(id: string, searchId: string, index: number) {
    return toRemoteRequest(await this.client.chooseSearchResult(id, searchId, index));
  }

  async outputs(id: string) {
    return toOutputs(await this.client.getDocument(id));
  }

  clockOffset() {
    return this.client.clockOffset();
  }
}
