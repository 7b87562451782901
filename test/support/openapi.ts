// /openapi.json as the API serves it, for unit tests that check documents against the routes.
export { apiDocument as openApiDocument } from '../../api/app';
