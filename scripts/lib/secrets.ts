// `npm start`: the secrets its worker and API start with. AUTH_JWT_SECRET when set (and long enough), otherwise a
// random one generated once into <data dir>/auth-jwt-secret and reused, so a restart keeps tokens valid and no
// installation shares a secret with another. `npm run token` reads the same file.
import { resolveJwtSecret, type Config } from '../../config';

export function startSecrets(config: Config, env: NodeJS.ProcessEnv): void {
  env.AUTH_JWT_SECRET = resolveJwtSecret(config, true);
}
