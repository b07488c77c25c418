import type { ServiceDetail, ServiceSummary } from '../../common/catalog.ts';
import type {
  CreateRequestBody,
  JsonVisura,
  PriceCheck,
  RemoteDocument,
  RemoteRequest,
  RemoteRequestSummary,
  UpdateRequestBody,
} from './schemas.ts';

/**
 * What the app needs from a document engine. Visengine implements it (client.ts); a DocuEngine
 * adapter can implement it later without the services noticing.
 */
export interface Engine {
  readonly baseUrl: string;
  listServices(): Promise<ServiceSummary[]>;
  getService(hash: string): Promise<ServiceDetail>;
  /** Validates the data and prices the request without creating it (`test:true`). */
  checkPrice(body: Omit<CreateRequestBody, 'test' | 'state'>): Promise<PriceCheck>;
  createRequest(body: CreateRequestBody): Promise<RemoteRequest>;
  /** Every request of the account in summary form; empty when there are none (404/203). */
  listRequests(): Promise<RemoteRequestSummary[]>;
  getRequest(id: string): Promise<RemoteRequest>;
  updateRequest(id: string, body: UpdateRequestBody): Promise<RemoteRequest>;
  addSearch(id: string, jsonVisura: JsonVisura): Promise<RemoteRequest>;
  chooseSearchResult(id: string, idRicerca: string, indice: number): Promise<RemoteRequest>;
  getDocument(id: string): Promise<RemoteDocument>;
  /** Best effort: not in the published spec. */
  cancelRequest(id: string, motivo: string): Promise<void>;
  /** How far the service's clock is ahead of the app's (ms), when its answers tell; null otherwise. */
  clockOffset(): number | null;
}
