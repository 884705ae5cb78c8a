// Generated from the OpenAPI document by `npm run client:generate`; do not edit (a test checks it matches).
export interface paths {
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            status: "ok";
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description Error: `VALIDATION_FAILED` */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_VALIDATION_FAILED"];
                    };
                };
                /** @description Error: `INTERNAL` */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_INTERNAL"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/mcp": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Needs an API key (any scope). */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Error: `VALIDATION_FAILED` */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_VALIDATION_FAILED"];
                    };
                };
                /** @description Error: `UNAUTHORIZED` */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNAUTHORIZED"];
                    };
                };
                /** @description Error: `METHOD_NOT_ALLOWED` */
                405: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_METHOD_NOT_ALLOWED"];
                    };
                };
                /** @description Error: `INTERNAL` */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_INTERNAL"];
                    };
                };
                /** @description Error: `STORE_UNAVAILABLE` */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_STORE_UNAVAILABLE"];
                    };
                };
            };
        };
        put?: never;
        /** @description Needs an API key (any scope). */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            /** @description A JSON-RPC 2.0 request or notification of the MCP Streamable HTTP transport */
            requestBody: {
                content: {
                    "application/json": {
                        id?: string | number;
                        /** @enum {string} */
                        jsonrpc: "2.0";
                        method: string;
                        params?: {
                            [key: string]: unknown;
                        };
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            responses: {
                /** @description The JSON-RPC response (MCP Streamable HTTP, stateless) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": unknown;
                    };
                };
                /** @description No content */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Error: `BAD_REQUEST`, `INVALID_JSON`, `VALIDATION_FAILED` */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_BAD_REQUEST_INVALID_JSON_VALIDATION_FAILED"];
                    };
                };
                /** @description Error: `UNAUTHORIZED` */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNAUTHORIZED"];
                    };
                };
                /** @description Error: `NOT_ACCEPTABLE` */
                406: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_NOT_ACCEPTABLE"];
                    };
                };
                /** @description Error: `PAYLOAD_TOO_LARGE` */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_PAYLOAD_TOO_LARGE"];
                    };
                };
                /** @description Error: `UNSUPPORTED_MEDIA_TYPE` */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNSUPPORTED_MEDIA_TYPE"];
                    };
                };
                /** @description Error: `INTERNAL` */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_INTERNAL"];
                    };
                };
                /** @description Error: `STORE_UNAVAILABLE` */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_STORE_UNAVAILABLE"];
                    };
                };
            };
        };
        /** @description Needs an API key (any scope). */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Error: `BAD_REQUEST`, `INVALID_JSON`, `VALIDATION_FAILED` */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_BAD_REQUEST_INVALID_JSON_VALIDATION_FAILED"];
                    };
                };
                /** @description Error: `UNAUTHORIZED` */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNAUTHORIZED"];
                    };
                };
                /** @description Error: `METHOD_NOT_ALLOWED` */
                405: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_METHOD_NOT_ALLOWED"];
                    };
                };
                /** @description Error: `PAYLOAD_TOO_LARGE` */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_PAYLOAD_TOO_LARGE"];
                    };
                };
                /** @description Error: `UNSUPPORTED_MEDIA_TYPE` */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNSUPPORTED_MEDIA_TYPE"];
                    };
                };
                /** @description Error: `INTERNAL` */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_INTERNAL"];
                    };
                };
                /** @description Error: `STORE_UNAVAILABLE` */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_STORE_UNAVAILABLE"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Prometheus text exposition format */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": string;
                    };
                };
                /** @description Error: `VALIDATION_FAILED` */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_VALIDATION_FAILED"];
                    };
                };
                /** @description Error: `UNAUTHORIZED` */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNAUTHORIZED"];
                    };
                };
                /** @description Error: `INTERNAL` */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_INTERNAL"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            checks: {
                                [key: string]: string;
                            };
                            error?: {
                                /** @enum {string} */
                                code: "STORE_UNAVAILABLE" | "OVERLOADED" | "INDEX_UNAVAILABLE";
                                details?: {
                                    [key: string]: unknown;
                                };
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                            /** @enum {string} */
                            status: "ready" | "degraded" | "unavailable";
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description Error: `VALIDATION_FAILED` */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_VALIDATION_FAILED"];
                    };
                };
                /** @description Error: `INTERNAL` */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_INTERNAL"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            checks: {
                                [key: string]: string;
                            };
                            error?: {
                                /** @enum {string} */
                                code: "STORE_UNAVAILABLE" | "OVERLOADED" | "INDEX_UNAVAILABLE";
                                details?: {
                                    [key: string]: unknown;
                                };
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                            /** @enum {string} */
                            status: "ready" | "degraded" | "unavailable";
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Needs an API key with the `admin` scope (or `admin`). */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            keys: components["schemas"]["ApiKey"][];
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description Error: `VALIDATION_FAILED` */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_VALIDATION_FAILED"];
                    };
                };
                /** @description Error: `UNAUTHORIZED` */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNAUTHORIZED"];
                    };
                };
                /** @description Error: `FORBIDDEN` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_FORBIDDEN"];
                    };
                };
                /** @description Error: `RATE_LIMITED` */
                429: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_RATE_LIMITED"];
                    };
                };
                /** @description Error: `INTERNAL` */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_INTERNAL"];
                    };
                };
                /** @description Error: `STORE_UNAVAILABLE` */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_STORE_UNAVAILABLE"];
                    };
                };
            };
        };
        put?: never;
        /** @description Needs an API key with the `admin` scope (or `admin`). */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Replays the first completed outcome of this key for 24 hours */
                    "Idempotency-Key"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                        scopes: ("ingest" | "query" | "admin")[];
                        tenant?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        /** @description Present when this is the stored outcome of an earlier request with the same Idempotency-Key */
                        "Idempotent-Replayed"?: "true";
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description ISO 8601 timestamp */
                            createdAt: string;
                            id: string;
                            /** @description Shown only once */
                            key: string;
                            name: string;
                            prefix: string;
                            scopes: string[];
                            tenantId: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description Error: `BAD_REQUEST`, `INVALID_JSON`, `VALIDATION_FAILED` */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_BAD_REQUEST_INVALID_JSON_VALIDATION_FAILED"];
                    };
                };
                /** @description Error: `UNAUTHORIZED` */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNAUTHORIZED"];
                    };
                };
                /** @description Error: `FORBIDDEN` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_FORBIDDEN"];
                    };
                };
                /** @description Error: `TENANT_NOT_FOUND` */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_TENANT_NOT_FOUND"];
                    };
                };
                /** @description Error: `IDEMPOTENCY_IN_PROGRESS` */
                409: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_IDEMPOTENCY_IN_PROGRESS"];
                    };
                };
                /** @description Error: `PAYLOAD_TOO_LARGE` */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_PAYLOAD_TOO_LARGE"];
                    };
                };
                /** @description Error: `UNSUPPORTED_MEDIA_TYPE` */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNSUPPORTED_MEDIA_TYPE"];
                    };
                };
                /** @description Error: `IDEMPOTENCY_KEY_REUSED` */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_IDEMPOTENCY_KEY_REUSED"];
                    };
                };
                /** @description Error: `RATE_LIMITED` */
                429: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_RATE_LIMITED"];
                    };
                };
                /** @description Error: `INTERNAL` */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_INTERNAL"];
                    };
                };
                /** @description Error: `STORE_UNAVAILABLE` */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_STORE_UNAVAILABLE"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/keys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** @description Needs an API key with the `admin` scope (or `admin`). */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description No content */
                204: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Error: `BAD_REQUEST`, `INVALID_JSON`, `VALIDATION_FAILED` */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_BAD_REQUEST_INVALID_JSON_VALIDATION_FAILED"];
                    };
                };
                /** @description Error: `UNAUTHORIZED` */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNAUTHORIZED"];
                    };
                };
                /** @description Error: `FORBIDDEN` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_FORBIDDEN"];
                    };
                };
                /** @description Error: `KEY_NOT_FOUND` */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_KEY_NOT_FOUND"];
                    };
                };
                /** @description Error: `PAYLOAD_TOO_LARGE` */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_PAYLOAD_TOO_LARGE"];
                    };
                };
                /** @description Error: `UNSUPPORTED_MEDIA_TYPE` */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNSUPPORTED_MEDIA_TYPE"];
                    };
                };
                /** @description Error: `RATE_LIMITED` */
                429: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_RATE_LIMITED"];
                    };
                };
                /** @description Error: `INTERNAL` */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_INTERNAL"];
                    };
                };
                /** @description Error: `STORE_UNAVAILABLE` */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_STORE_UNAVAILABLE"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/tenants": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Needs an API key with the `admin` scope (or `admin`). */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            tenants: components["schemas"]["Tenant"][];
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description Error: `VALIDATION_FAILED` */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_VALIDATION_FAILED"];
                    };
                };
                /** @description Error: `UNAUTHORIZED` */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNAUTHORIZED"];
                    };
                };
                /** @description Error: `FORBIDDEN` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_FORBIDDEN"];
                    };
                };
                /** @description Error: `RATE_LIMITED` */
                429: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_RATE_LIMITED"];
                    };
                };
                /** @description Error: `INTERNAL` */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_INTERNAL"];
                    };
                };
                /** @description Error: `STORE_UNAVAILABLE` */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_STORE_UNAVAILABLE"];
                    };
                };
            };
        };
        put?: never;
        /** @description Needs an API key with the `admin` scope (or `admin`). */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Replays the first completed outcome of this key for 24 hours */
                    "Idempotency-Key"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        limits?: {
                            DAILY_TOKEN_BUDGET?: number;
                            MAX_CONCURRENT_ANSWERS?: number;
                            RATE_LIMIT_ADMIN_PER_MINUTE?: number;
                            RATE_LIMIT_INGEST_PER_MINUTE?: number;
                            RATE_LIMIT_QUERY_PER_MINUTE?: number;
                            TOKENS_PER_MINUTE?: number;
                        };
                        name: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        /** @description Present when this is the stored outcome of an earlier request with the same Idempotency-Key */
                        "Idempotent-Replayed"?: "true";
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Tenant"];
                    };
                };
                /** @description Error: `BAD_REQUEST`, `INVALID_JSON`, `VALIDATION_FAILED` */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_BAD_REQUEST_INVALID_JSON_VALIDATION_FAILED"];
                    };
                };
                /** @description Error: `UNAUTHORIZED` */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNAUTHORIZED"];
                    };
                };
                /** @description Error: `FORBIDDEN` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_FORBIDDEN"];
                    };
                };
                /** @description Error: `CONFLICT`, `IDEMPOTENCY_IN_PROGRESS` */
                409: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_CONFLICT_IDEMPOTENCY_IN_PROGRESS"];
                    };
                };
                /** @description Error: `PAYLOAD_TOO_LARGE` */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_PAYLOAD_TOO_LARGE"];
                    };
                };
                /** @description Error: `UNSUPPORTED_MEDIA_TYPE` */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNSUPPORTED_MEDIA_TYPE"];
                    };
                };
                /** @description Error: `IDEMPOTENCY_KEY_REUSED` */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_IDEMPOTENCY_KEY_REUSED"];
                    };
                };
                /** @description Error: `RATE_LIMITED` */
                429: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_RATE_LIMITED"];
                    };
                };
                /** @description Error: `INTERNAL` */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_INTERNAL"];
                    };
                };
                /** @description Error: `STORE_UNAVAILABLE` */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_STORE_UNAVAILABLE"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/tenants/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** @description Needs an API key with the `admin` scope (or `admin`). */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        limits: {
                            DAILY_TOKEN_BUDGET?: number;
                            MAX_CONCURRENT_ANSWERS?: number;
                            RATE_LIMIT_ADMIN_PER_MINUTE?: number;
                            RATE_LIMIT_INGEST_PER_MINUTE?: number;
                            RATE_LIMIT_QUERY_PER_MINUTE?: number;
                            TOKENS_PER_MINUTE?: number;
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Tenant"];
                    };
                };
                /** @description Error: `BAD_REQUEST`, `INVALID_JSON`, `VALIDATION_FAILED` */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_BAD_REQUEST_INVALID_JSON_VALIDATION_FAILED"];
                    };
                };
                /** @description Error: `UNAUTHORIZED` */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNAUTHORIZED"];
                    };
                };
                /** @description Error: `FORBIDDEN` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_FORBIDDEN"];
                    };
                };
                /** @description Error: `TENANT_NOT_FOUND` */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_TENANT_NOT_FOUND"];
                    };
                };
                /** @description Error: `PAYLOAD_TOO_LARGE` */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_PAYLOAD_TOO_LARGE"];
                    };
                };
                /** @description Error: `UNSUPPORTED_MEDIA_TYPE` */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNSUPPORTED_MEDIA_TYPE"];
                    };
                };
                /** @description Error: `RATE_LIMITED` */
                429: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_RATE_LIMITED"];
                    };
                };
                /** @description Error: `INTERNAL` */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_INTERNAL"];
                    };
                };
                /** @description Error: `STORE_UNAVAILABLE` */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_STORE_UNAVAILABLE"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/builds/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Needs an API key (any scope). */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Build"];
                    };
                };
                /** @description Error: `BAD_REQUEST`, `VALIDATION_FAILED` */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_BAD_REQUEST_VALIDATION_FAILED"];
                    };
                };
                /** @description Error: `UNAUTHORIZED` */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNAUTHORIZED"];
                    };
                };
                /** @description Error: `BUILD_NOT_FOUND` */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_BUILD_NOT_FOUND"];
                    };
                };
                /** @description Error: `INTERNAL` */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_INTERNAL"];
                    };
                };
                /** @description Error: `STORE_UNAVAILABLE` */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_STORE_UNAVAILABLE"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/builds/{id}/promote": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Needs an API key with the `admin` scope (or `admin`). */
        post: {
            parameters: {
                query?: {
                    force?: "true" | "false";
                };
                header?: {
                    /** @description Replays the first completed outcome of this key for 24 hours */
                    "Idempotency-Key"?: string;
                };
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description Present when this is the stored outcome of an earlier request with the same Idempotency-Key */
                        "Idempotent-Replayed"?: "true";
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Build"];
                    };
                };
                /** @description Error: `BAD_REQUEST`, `INVALID_JSON`, `VALIDATION_FAILED` */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_BAD_REQUEST_INVALID_JSON_VALIDATION_FAILED"];
                    };
                };
                /** @description Error: `UNAUTHORIZED` */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNAUTHORIZED"];
                    };
                };
                /** @description Error: `FORBIDDEN` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_FORBIDDEN"];
                    };
                };
                /** @description Error: `BUILD_NOT_FOUND` */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_BUILD_NOT_FOUND"];
                    };
                };
                /** @description Error: `BUILD_NOT_PROMOTABLE`, `IDEMPOTENCY_IN_PROGRESS` */
                409: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_BUILD_NOT_PROMOTABLE_IDEMPOTENCY_IN_PROGRESS"];
                    };
                };
                /** @description Error: `PAYLOAD_TOO_LARGE` */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_PAYLOAD_TOO_LARGE"];
                    };
                };
                /** @description Error: `UNSUPPORTED_MEDIA_TYPE` */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNSUPPORTED_MEDIA_TYPE"];
                    };
                };
                /** @description Error: `IDEMPOTENCY_KEY_REUSED` */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_IDEMPOTENCY_KEY_REUSED"];
                    };
                };
                /** @description Error: `RATE_LIMITED` */
                429: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_RATE_LIMITED"];
                    };
                };
                /** @description Error: `INTERNAL` */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_INTERNAL"];
                    };
                };
                /** @description Error: `STORE_UNAVAILABLE` */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_STORE_UNAVAILABLE"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/chunks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Needs an API key with the `query` scope (or `admin`). */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Chunk"];
                    };
                };
                /** @description Error: `BAD_REQUEST`, `VALIDATION_FAILED` */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_BAD_REQUEST_VALIDATION_FAILED"];
                    };
                };
                /** @description Error: `UNAUTHORIZED` */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNAUTHORIZED"];
                    };
                };
                /** @description Error: `FORBIDDEN` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_FORBIDDEN"];
                    };
                };
                /** @description Error: `NOT_FOUND` */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_NOT_FOUND"];
                    };
                };
                /** @description Error: `INTERNAL` */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_INTERNAL"];
                    };
                };
                /** @description Error: `STORE_UNAVAILABLE` */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_STORE_UNAVAILABLE"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/conversations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Needs an API key with the `query` scope (or `admin`). */
        get: {
            parameters: {
                query?: {
                    corpus?: string;
                    limit?: number;
                    offset?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            conversations: components["schemas"]["Conversation"][];
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description Error: `VALIDATION_FAILED` */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_VALIDATION_FAILED"];
                    };
                };
                /** @description Error: `UNAUTHORIZED` */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNAUTHORIZED"];
                    };
                };
                /** @description Error: `FORBIDDEN` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_FORBIDDEN"];
                    };
                };
                /** @description Error: `CORPUS_NOT_FOUND` */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_CORPUS_NOT_FOUND"];
                    };
                };
                /** @description Error: `INTERNAL` */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_INTERNAL"];
                    };
                };
                /** @description Error: `STORE_UNAVAILABLE` */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_STORE_UNAVAILABLE"];
                    };
                };
            };
        };
        put?: never;
        /** @description Needs an API key with the `query` scope (or `admin`). */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Replays the first completed outcome of this key for 24 hours */
                    "Idempotency-Key"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        corpus: string;
                        title?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        /** @description Present when this is the stored outcome of an earlier request with the same Idempotency-Key */
                        "Idempotent-Replayed"?: "true";
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            corpusId: string;
                            /** @description ISO 8601 timestamp */
                            createdAt: string;
                            expiresAt: string | null;
                            id: string;
                            messages: components["schemas"]["ConversationMessage"][];
                            title: string | null;
                            turns: number;
                            /** @description ISO 8601 timestamp */
                            updatedAt: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description Error: `BAD_REQUEST`, `INVALID_JSON`, `VALIDATION_FAILED` */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_BAD_REQUEST_INVALID_JSON_VALIDATION_FAILED"];
                    };
                };
                /** @description Error: `UNAUTHORIZED` */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNAUTHORIZED"];
                    };
                };
                /** @description Error: `FORBIDDEN` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_FORBIDDEN"];
                    };
                };
                /** @description Error: `CORPUS_NOT_FOUND` */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_CORPUS_NOT_FOUND"];
                    };
                };
                /** @description Error: `IDEMPOTENCY_IN_PROGRESS` */
                409: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_IDEMPOTENCY_IN_PROGRESS"];
                    };
                };
                /** @description Error: `PAYLOAD_TOO_LARGE` */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_PAYLOAD_TOO_LARGE"];
                    };
                };
                /** @description Error: `UNSUPPORTED_MEDIA_TYPE` */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNSUPPORTED_MEDIA_TYPE"];
                    };
                };
                /** @description Error: `IDEMPOTENCY_KEY_REUSED` */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_IDEMPOTENCY_KEY_REUSED"];
                    };
                };
                /** @description Error: `RATE_LIMITED` */
                429: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_RATE_LIMITED"];
                    };
                };
                /** @description Error: `INTERNAL` */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_INTERNAL"];
                    };
                };
                /** @description Error: `STORE_UNAVAILABLE` */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_STORE_UNAVAILABLE"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/conversations/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Needs an API key with the `query` scope (or `admin`). */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            corpusId: string;
                            /** @description ISO 8601 timestamp */
                            createdAt: string;
                            expiresAt: string | null;
                            id: string;
                            messages: components["schemas"]["ConversationMessage"][];
                            title: string | null;
                            turns: number;
                            /** @description ISO 8601 timestamp */
                            updatedAt: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description Error: `BAD_REQUEST`, `VALIDATION_FAILED` */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_BAD_REQUEST_VALIDATION_FAILED"];
                    };
                };
                /** @description Error: `UNAUTHORIZED` */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNAUTHORIZED"];
                    };
                };
                /** @description Error: `FORBIDDEN` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_FORBIDDEN"];
                    };
                };
                /** @description Error: `CONVERSATION_NOT_FOUND` */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_CONVERSATION_NOT_FOUND"];
                    };
                };
                /** @description Error: `INTERNAL` */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_INTERNAL"];
                    };
                };
                /** @description Error: `STORE_UNAVAILABLE` */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_STORE_UNAVAILABLE"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** @description Needs an API key with the `query` scope (or `admin`). */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description No content */
                204: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Error: `BAD_REQUEST`, `INVALID_JSON`, `VALIDATION_FAILED` */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_BAD_REQUEST_INVALID_JSON_VALIDATION_FAILED"];
                    };
                };
                /** @description Error: `UNAUTHORIZED` */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNAUTHORIZED"];
                    };
                };
                /** @description Error: `FORBIDDEN` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_FORBIDDEN"];
                    };
                };
                /** @description Error: `CONVERSATION_NOT_FOUND` */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_CONVERSATION_NOT_FOUND"];
                    };
                };
                /** @description Error: `PAYLOAD_TOO_LARGE` */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_PAYLOAD_TOO_LARGE"];
                    };
                };
                /** @description Error: `UNSUPPORTED_MEDIA_TYPE` */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNSUPPORTED_MEDIA_TYPE"];
                    };
                };
                /** @description Error: `RATE_LIMITED` */
                429: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_RATE_LIMITED"];
                    };
                };
                /** @description Error: `INTERNAL` */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_INTERNAL"];
                    };
                };
                /** @description Error: `STORE_UNAVAILABLE` */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_STORE_UNAVAILABLE"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** @description Needs an API key with the `query` scope (or `admin`). */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        title: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Conversation"];
                    };
                };
                /** @description Error: `BAD_REQUEST`, `INVALID_JSON`, `VALIDATION_FAILED` */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_BAD_REQUEST_INVALID_JSON_VALIDATION_FAILED"];
                    };
                };
                /** @description Error: `UNAUTHORIZED` */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNAUTHORIZED"];
                    };
                };
                /** @description Error: `FORBIDDEN` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_FORBIDDEN"];
                    };
                };
                /** @description Error: `CONVERSATION_NOT_FOUND` */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_CONVERSATION_NOT_FOUND"];
                    };
                };
                /** @description Error: `PAYLOAD_TOO_LARGE` */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_PAYLOAD_TOO_LARGE"];
                    };
                };
                /** @description Error: `UNSUPPORTED_MEDIA_TYPE` */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNSUPPORTED_MEDIA_TYPE"];
                    };
                };
                /** @description Error: `RATE_LIMITED` */
                429: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_RATE_LIMITED"];
                    };
                };
                /** @description Error: `INTERNAL` */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_INTERNAL"];
                    };
                };
                /** @description Error: `STORE_UNAVAILABLE` */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_STORE_UNAVAILABLE"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/conversations/{id}/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Needs an API key with the `query` scope (or `admin`). */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Replays the first completed outcome of this key for 24 hours */
                    "Idempotency-Key"?: string;
                };
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        question: string;
                        /**
                         * @description Answer the last turn again (with this question: the same, or edited) and replace it, instead of adding a turn
                         * @default false
                         */
                        regenerate?: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description Present when this is the stored outcome of an earlier request with the same Idempotency-Key */
                        "Idempotent-Replayed"?: "true";
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ConversationTurn"];
                        "text/event-stream": {
                            data: {
                                sources: ({
                                    chunkId: string;
                                    documentId: string;
                                    end: number;
                                    page: number | null;
                                    score: number;
                                    start: number;
                                    text: string;
                                    title: string;
                                    versionId: string;
                                } & {
                                    [key: string]: unknown;
                                })[];
                            } & {
                                [key: string]: unknown;
                            };
                            /** @constant */
                            event: "retrieval";
                        } | {
                            data: {
                                text: string;
                            } & {
                                [key: string]: unknown;
                            };
                            /** @constant */
                            event: "delta";
                        } | {
                            data: {
                                reason: ("retry" | "unverified") | string;
                            } & {
                                [key: string]: unknown;
                            };
                            /** @constant */
                            event: "reset";
                        } | {
                            data: components["schemas"]["Citation"];
                            /** @constant */
                            event: "citation";
                        } | {
                            data: components["schemas"]["Answer"];
                            /** @constant */
                            event: "done";
                        } | {
                            data: {
                                /**
                                 * @description Stable error code; see the catalogue in the API description
                                 * @enum {string}
                                 */
                                code: "BAD_REQUEST" | "VALIDATION_FAILED" | "INVALID_JSON" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "ROUTE_NOT_FOUND" | "METHOD_NOT_ALLOWED" | "NOT_ACCEPTABLE" | "CORPUS_NOT_FOUND" | "DOCUMENT_NOT_FOUND" | "JOB_NOT_FOUND" | "BUILD_NOT_FOUND" | "TRACE_NOT_FOUND" | "CANARY_NOT_FOUND" | "TENANT_NOT_FOUND" | "KEY_NOT_FOUND" | "CONVERSATION_NOT_FOUND" | "CONFLICT" | "CORPUS_EXISTS" | "IDEMPOTENCY_IN_PROGRESS" | "CONVERSATION_BUSY" | "BUILD_NOT_PROMOTABLE" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "EMPTY_FILE" | "IDEMPOTENCY_KEY_REUSED" | "BUDGET_EXCEEDED" | "RATE_LIMITED" | "EMBEDDING_MODEL_MISMATCH" | "EMBEDDING_MODEL_UNKNOWN" | "PDF_ENCRYPTED" | "PDF_CORRUPT" | "PDF_NO_TEXT" | "PDF_TIMEOUT" | "PARSE_FAILED" | "NO_TEXT" | "DOCX_CORRUPT" | "PPTX_CORRUPT" | "XLSX_CORRUPT" | "CSV_CORRUPT" | "ODF_CORRUPT" | "EPUB_CORRUPT" | "EML_CORRUPT" | "IMAGE_CORRUPT" | "OFFICE_ENCRYPTED" | "ARCHIVE_TOO_LARGE" | "SPREADSHEET_TOO_LARGE" | "IMAGE_TOO_LARGE" | "PARSE_TIMEOUT" | "OCR_FAILED" | "OCR_TIMEOUT" | "PROVIDER_ERROR" | "PROVIDER_RATE_LIMITED" | "PROVIDER_TIMEOUT" | "PROVIDER_BAD_OUTPUT" | "PROVIDER_QUOTA_EXCEEDED" | "CIRCUIT_OPEN" | "QUEUE_UNAVAILABLE" | "OVERLOADED" | "STORE_UNAVAILABLE" | "SHUTTING_DOWN" | "CONFIG_INVALID" | "INTERNAL" | "INDEX_UNAVAILABLE" | "INDEX_UNSUPPORTED" | "WEBHOOK_TARGET_FORBIDDEN" | "SOURCE_NOT_FOUND" | "SOURCE_URL_INVALID" | "SCHEDULE_INVALID" | "SOURCE_URL_FORBIDDEN" | "PROVIDER_OUTPUT_TRUNCATED";
                                details?: {
                                    [key: string]: unknown;
                                };
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                            /** @constant */
                            event: "error";
                        };
                    };
                };
                /** @description Error: `BAD_REQUEST`, `INVALID_JSON`, `VALIDATION_FAILED` */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_BAD_REQUEST_INVALID_JSON_VALIDATION_FAILED"];
                    };
                };
                /** @description Error: `UNAUTHORIZED` */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNAUTHORIZED"];
                    };
                };
                /** @description Error: `FORBIDDEN` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_FORBIDDEN"];
                    };
                };
                /** @description Error: `CONVERSATION_NOT_FOUND` */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_CONVERSATION_NOT_FOUND"];
                    };
                };
                /** @description Error: `CONVERSATION_BUSY`, `IDEMPOTENCY_IN_PROGRESS` */
                409: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_CONVERSATION_BUSY_IDEMPOTENCY_IN_PROGRESS"];
                    };
                };
                /** @description Error: `BUDGET_EXCEEDED`, `PAYLOAD_TOO_LARGE` */
                413: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_BUDGET_EXCEEDED_PAYLOAD_TOO_LARGE"];
                    };
                };
                /** @description Error: `UNSUPPORTED_MEDIA_TYPE` */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNSUPPORTED_MEDIA_TYPE"];
                    };
                };
                /** @description Error: `IDEMPOTENCY_KEY_REUSED` */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_IDEMPOTENCY_KEY_REUSED"];
                    };
                };
                /** @description Error: `BUDGET_EXCEEDED`, `RATE_LIMITED` */
                429: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_BUDGET_EXCEEDED_RATE_LIMITED"];
                    };
                };
                /** @description Error: `INTERNAL` */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_INTERNAL"];
                    };
                };
                /** @description Error: `PROVIDER_BAD_OUTPUT`, `PROVIDER_ERROR`, `PROVIDER_OUTPUT_TRUNCATED` */
                502: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_PROVIDER_BAD_OUTPUT_PROVIDER_ERROR_PROVIDER_OUTPUT_TRUNCATED"];
                    };
                };
                /** @description Error: `CIRCUIT_OPEN`, `INDEX_UNAVAILABLE`, `INDEX_UNSUPPORTED`, `OVERLOADED`, `PROVIDER_QUOTA_EXCEEDED`, `PROVIDER_RATE_LIMITED`, `SHUTTING_DOWN`, `STORE_UNAVAILABLE` */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_CIRCUIT_OPEN_INDEX_UNAVAILABLE_INDEX_UNSUPPORTED_OVERLOADED_PROVIDER_QUOTA_EXCEEDED_PROVIDER_RATE_LIMITED_SHUTTING_DOWN_STORE_UNAVAILABLE"];
                    };
                };
                /** @description Error: `PROVIDER_TIMEOUT` */
                504: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_PROVIDER_TIMEOUT"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/corpora": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Needs an API key (any scope). */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            corpora: components["schemas"]["Corpus"][];
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description Error: `VALIDATION_FAILED` */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_VALIDATION_FAILED"];
                    };
                };
                /** @description Error: `UNAUTHORIZED` */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNAUTHORIZED"];
                    };
                };
                /** @description Error: `INTERNAL` */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_INTERNAL"];
                    };
                };
                /** @description Error: `STORE_UNAVAILABLE` */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_STORE_UNAVAILABLE"];
                    };
                };
            };
        };
        put?: never;
        /** @description Needs an API key with the `admin` scope (or `admin`). */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Replays the first completed outcome of this key for 24 hours */
                    "Idempotency-Key"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        /** @description Present when this is the stored outcome of an earlier request with the same Idempotency-Key */
                        "Idempotent-Replayed"?: "true";
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Corpus"];
                    };
                };
                /** @description Error: `BAD_REQUEST`, `INVALID_JSON`, `VALIDATION_FAILED` */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_BAD_REQUEST_INVALID_JSON_VALIDATION_FAILED"];
                    };
                };
                /** @description Error: `UNAUTHORIZED` */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNAUTHORIZED"];
                    };
                };
                /** @description Error: `FORBIDDEN` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_FORBIDDEN"];
                    };
                };
                /** @description Error: `CORPUS_EXISTS`, `IDEMPOTENCY_IN_PROGRESS` */
                409: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_CORPUS_EXISTS_IDEMPOTENCY_IN_PROGRESS"];
                    };
                };
                /** @description Error: `PAYLOAD_TOO_LARGE` */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_PAYLOAD_TOO_LARGE"];
                    };
                };
                /** @description Error: `UNSUPPORTED_MEDIA_TYPE` */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNSUPPORTED_MEDIA_TYPE"];
                    };
                };
                /** @description Error: `IDEMPOTENCY_KEY_REUSED` */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_IDEMPOTENCY_KEY_REUSED"];
                    };
                };
                /** @description Error: `RATE_LIMITED` */
                429: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_RATE_LIMITED"];
                    };
                };
                /** @description Error: `INTERNAL` */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_INTERNAL"];
                    };
                };
                /** @description Error: `STORE_UNAVAILABLE` */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_STORE_UNAVAILABLE"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/corpora/{corpus}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Needs an API key (any scope). */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    corpus: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Corpus"];
                    };
                };
                /** @description Error: `BAD_REQUEST`, `VALIDATION_FAILED` */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_BAD_REQUEST_VALIDATION_FAILED"];
                    };
                };
                /** @description Error: `UNAUTHORIZED` */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNAUTHORIZED"];
                    };
                };
                /** @description Error: `CORPUS_NOT_FOUND` */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_CORPUS_NOT_FOUND"];
                    };
                };
                /** @description Error: `INTERNAL` */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_INTERNAL"];
                    };
                };
                /** @description Error: `STORE_UNAVAILABLE` */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_STORE_UNAVAILABLE"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/corpora/{corpus}/alerts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Needs an API key (any scope). */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    corpus: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            alerts: ({
                                cause: string;
                                /** @description ISO 8601 timestamp */
                                createdAt: string;
                                delivered: boolean;
                                id: string;
                                runId: string | null;
                                status: string;
                                text: string;
                            } & {
                                [key: string]: unknown;
                            })[];
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description Error: `BAD_REQUEST`, `VALIDATION_FAILED` */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_BAD_REQUEST_VALIDATION_FAILED"];
                    };
                };
                /** @description Error: `UNAUTHORIZED` */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNAUTHORIZED"];
                    };
                };
                /** @description Error: `CORPUS_NOT_FOUND` */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_CORPUS_NOT_FOUND"];
                    };
                };
                /** @description Error: `INTERNAL` */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_INTERNAL"];
                    };
                };
                /** @description Error: `STORE_UNAVAILABLE` */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_STORE_UNAVAILABLE"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/corpora/{corpus}/answers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Needs an API key with the `query` scope (or `admin`). */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Replays the first completed outcome of this key for 24 hours */
                    "Idempotency-Key"?: string;
                };
                path: {
                    corpus: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * @default {
                         *       "k": 8
                         *     }
                         */
                        options?: {
                            /** @default 8 */
                            k?: number;
                        };
                        question: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description Present when this is the stored outcome of an earlier request with the same Idempotency-Key */
                        "Idempotent-Replayed"?: "true";
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Answer"];
                        "text/event-stream": {
                            data: {
                                sources: ({
                                    chunkId: string;
                                    documentId: string;
                                    end: number;
                                    page: number | null;
                                    score: number;
                                    start: number;
                                    text: string;
                                    title: string;
                                    versionId: string;
                                } & {
                                    [key: string]: unknown;
                                })[];
                            } & {
                                [key: string]: unknown;
                            };
                            /** @constant */
                            event: "retrieval";
                        } | {
                            data: {
                                text: string;
                            } & {
                                [key: string]: unknown;
                            };
                            /** @constant */
                            event: "delta";
                        } | {
                            data: {
                                reason: ("retry" | "unverified") | string;
                            } & {
                                [key: string]: unknown;
                            };
                            /** @constant */
                            event: "reset";
                        } | {
                            data: components["schemas"]["Citation"];
                            /** @constant */
                            event: "citation";
                        } | {
                            data: components["schemas"]["Answer"];
                            /** @constant */
                            event: "done";
                        } | {
                            data: {
                                /**
                                 * @description Stable error code; see the catalogue in the API description
                                 * @enum {string}
                                 */
                                code: "BAD_REQUEST" | "VALIDATION_FAILED" | "INVALID_JSON" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "ROUTE_NOT_FOUND" | "METHOD_NOT_ALLOWED" | "NOT_ACCEPTABLE" | "CORPUS_NOT_FOUND" | "DOCUMENT_NOT_FOUND" | "JOB_NOT_FOUND" | "BUILD_NOT_FOUND" | "TRACE_NOT_FOUND" | "CANARY_NOT_FOUND" | "TENANT_NOT_FOUND" | "KEY_NOT_FOUND" | "CONVERSATION_NOT_FOUND" | "CONFLICT" | "CORPUS_EXISTS" | "IDEMPOTENCY_IN_PROGRESS" | "CONVERSATION_BUSY" | "BUILD_NOT_PROMOTABLE" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "EMPTY_FILE" | "IDEMPOTENCY_KEY_REUSED" | "BUDGET_EXCEEDED" | "RATE_LIMITED" | "EMBEDDING_MODEL_MISMATCH" | "EMBEDDING_MODEL_UNKNOWN" | "PDF_ENCRYPTED" | "PDF_CORRUPT" | "PDF_NO_TEXT" | "PDF_TIMEOUT" | "PARSE_FAILED" | "NO_TEXT" | "DOCX_CORRUPT" | "PPTX_CORRUPT" | "XLSX_CORRUPT" | "CSV_CORRUPT" | "ODF_CORRUPT" | "EPUB_CORRUPT" | "EML_CORRUPT" | "IMAGE_CORRUPT" | "OFFICE_ENCRYPTED" | "ARCHIVE_TOO_LARGE" | "SPREADSHEET_TOO_LARGE" | "IMAGE_TOO_LARGE" | "PARSE_TIMEOUT" | "OCR_FAILED" | "OCR_TIMEOUT" | "PROVIDER_ERROR" | "PROVIDER_RATE_LIMITED" | "PROVIDER_TIMEOUT" | "PROVIDER_BAD_OUTPUT" | "PROVIDER_QUOTA_EXCEEDED" | "CIRCUIT_OPEN" | "QUEUE_UNAVAILABLE" | "OVERLOADED" | "STORE_UNAVAILABLE" | "SHUTTING_DOWN" | "CONFIG_INVALID" | "INTERNAL" | "INDEX_UNAVAILABLE" | "INDEX_UNSUPPORTED" | "WEBHOOK_TARGET_FORBIDDEN" | "SOURCE_NOT_FOUND" | "SOURCE_URL_INVALID" | "SCHEDULE_INVALID" | "SOURCE_URL_FORBIDDEN" | "PROVIDER_OUTPUT_TRUNCATED";
                                details?: {
                                    [key: string]: unknown;
                                };
                                message: string;
                            } & {
                                [key: string]: unknown;
                            };
                            /** @constant */
                            event: "error";
                        };
                    };
                };
                /** @description Error: `BAD_REQUEST`, `INVALID_JSON`, `VALIDATION_FAILED` */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_BAD_REQUEST_INVALID_JSON_VALIDATION_FAILED"];
                    };
                };
                /** @description Error: `UNAUTHORIZED` */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNAUTHORIZED"];
                    };
                };
                /** @description Error: `FORBIDDEN` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_FORBIDDEN"];
                    };
                };
                /** @description Error: `CORPUS_NOT_FOUND` */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_CORPUS_NOT_FOUND"];
                    };
                };
                /** @description Error: `IDEMPOTENCY_IN_PROGRESS` */
                409: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_IDEMPOTENCY_IN_PROGRESS"];
                    };
                };
                /** @description Error: `BUDGET_EXCEEDED`, `PAYLOAD_TOO_LARGE` */
                413: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_BUDGET_EXCEEDED_PAYLOAD_TOO_LARGE"];
                    };
                };
                /** @description Error: `UNSUPPORTED_MEDIA_TYPE` */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNSUPPORTED_MEDIA_TYPE"];
                    };
                };
                /** @description Error: `IDEMPOTENCY_KEY_REUSED` */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_IDEMPOTENCY_KEY_REUSED"];
                    };
                };
                /** @description Error: `BUDGET_EXCEEDED`, `RATE_LIMITED` */
                429: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_BUDGET_EXCEEDED_RATE_LIMITED"];
                    };
                };
                /** @description Error: `INTERNAL` */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_INTERNAL"];
                    };
                };
                /** @description Error: `PROVIDER_BAD_OUTPUT`, `PROVIDER_ERROR`, `PROVIDER_OUTPUT_TRUNCATED` */
                502: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_PROVIDER_BAD_OUTPUT_PROVIDER_ERROR_PROVIDER_OUTPUT_TRUNCATED"];
                    };
                };
                /** @description Error: `CIRCUIT_OPEN`, `INDEX_UNAVAILABLE`, `INDEX_UNSUPPORTED`, `OVERLOADED`, `PROVIDER_QUOTA_EXCEEDED`, `PROVIDER_RATE_LIMITED`, `SHUTTING_DOWN`, `STORE_UNAVAILABLE` */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_CIRCUIT_OPEN_INDEX_UNAVAILABLE_INDEX_UNSUPPORTED_OVERLOADED_PROVIDER_QUOTA_EXCEEDED_PROVIDER_RATE_LIMITED_SHUTTING_DOWN_STORE_UNAVAILABLE"];
                    };
                };
                /** @description Error: `PROVIDER_TIMEOUT` */
                504: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_PROVIDER_TIMEOUT"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/corpora/{corpus}/builds": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Needs an API key (any scope). */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    corpus: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            builds: components["schemas"]["Build"][];
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description Error: `BAD_REQUEST`, `VALIDATION_FAILED` */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_BAD_REQUEST_VALIDATION_FAILED"];
                    };
                };
                /** @description Error: `UNAUTHORIZED` */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNAUTHORIZED"];
                    };
                };
                /** @description Error: `CORPUS_NOT_FOUND` */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_CORPUS_NOT_FOUND"];
                    };
                };
                /** @description Error: `INTERNAL` */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_INTERNAL"];
                    };
                };
                /** @description Error: `STORE_UNAVAILABLE` */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_STORE_UNAVAILABLE"];
                    };
                };
            };
        };
        put?: never;
        /** @description Needs an API key with the `admin` scope (or `admin`). */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Replays the first completed outcome of this key for 24 hours */
                    "Idempotency-Key"?: string;
                };
                path: {
                    corpus: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        chunker?: {
                            maxTokens?: number;
                            overlapTokens?: number;
                            targetTokens?: number;
                        };
                        embeddingModel?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        /** @description Present when this is the stored outcome of an earlier request with the same Idempotency-Key */
                        "Idempotent-Replayed"?: "true";
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            build: components["schemas"]["Build"];
                            jobId: string | null;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description Error: `BAD_REQUEST`, `INVALID_JSON`, `VALIDATION_FAILED` */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_BAD_REQUEST_INVALID_JSON_VALIDATION_FAILED"];
                    };
                };
                /** @description Error: `UNAUTHORIZED` */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNAUTHORIZED"];
                    };
                };
                /** @description Error: `FORBIDDEN` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_FORBIDDEN"];
                    };
                };
                /** @description Error: `CORPUS_NOT_FOUND` */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_CORPUS_NOT_FOUND"];
                    };
                };
                /** @description Error: `IDEMPOTENCY_IN_PROGRESS` */
                409: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_IDEMPOTENCY_IN_PROGRESS"];
                    };
                };
                /** @description Error: `PAYLOAD_TOO_LARGE` */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_PAYLOAD_TOO_LARGE"];
                    };
                };
                /** @description Error: `UNSUPPORTED_MEDIA_TYPE` */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNSUPPORTED_MEDIA_TYPE"];
                    };
                };
                /** @description Error: `EMBEDDING_MODEL_UNKNOWN`, `IDEMPOTENCY_KEY_REUSED` */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_EMBEDDING_MODEL_UNKNOWN_IDEMPOTENCY_KEY_REUSED"];
                    };
                };
                /** @description Error: `RATE_LIMITED` */
                429: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_RATE_LIMITED"];
                    };
                };
                /** @description Error: `INTERNAL` */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_INTERNAL"];
                    };
                };
                /** @description Error: `QUEUE_UNAVAILABLE`, `STORE_UNAVAILABLE` */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_QUEUE_UNAVAILABLE_STORE_UNAVAILABLE"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/corpora/{corpus}/canaries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Needs an API key (any scope). */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    corpus: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            canaries: components["schemas"]["Canary"][];
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description Error: `BAD_REQUEST`, `VALIDATION_FAILED` */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_BAD_REQUEST_VALIDATION_FAILED"];
                    };
                };
                /** @description Error: `UNAUTHORIZED` */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNAUTHORIZED"];
                    };
                };
                /** @description Error: `CORPUS_NOT_FOUND` */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_CORPUS_NOT_FOUND"];
                    };
                };
                /** @description Error: `INTERNAL` */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_INTERNAL"];
                    };
                };
                /** @description Error: `STORE_UNAVAILABLE` */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_STORE_UNAVAILABLE"];
                    };
                };
            };
        };
        put?: never;
        /** @description Needs an API key with the `admin` scope (or `admin`). */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Replays the first completed outcome of this key for 24 hours */
                    "Idempotency-Key"?: string;
                };
                path: {
                    corpus: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        expect: {
                            chunkContains?: string;
                            /** Format: uuid */
                            documentId?: string;
                        };
                        k?: number;
                        query: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        /** @description Present when this is the stored outcome of an earlier request with the same Idempotency-Key */
                        "Idempotent-Replayed"?: "true";
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Canary"];
                    };
                };
                /** @description Error: `BAD_REQUEST`, `INVALID_JSON`, `VALIDATION_FAILED` */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_BAD_REQUEST_INVALID_JSON_VALIDATION_FAILED"];
                    };
                };
                /** @description Error: `UNAUTHORIZED` */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNAUTHORIZED"];
                    };
                };
                /** @description Error: `FORBIDDEN` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_FORBIDDEN"];
                    };
                };
                /** @description Error: `CORPUS_NOT_FOUND` */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_CORPUS_NOT_FOUND"];
                    };
                };
                /** @description Error: `IDEMPOTENCY_IN_PROGRESS` */
                409: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_IDEMPOTENCY_IN_PROGRESS"];
                    };
                };
                /** @description Error: `PAYLOAD_TOO_LARGE` */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_PAYLOAD_TOO_LARGE"];
                    };
                };
                /** @description Error: `UNSUPPORTED_MEDIA_TYPE` */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNSUPPORTED_MEDIA_TYPE"];
                    };
                };
                /** @description Error: `IDEMPOTENCY_KEY_REUSED` */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_IDEMPOTENCY_KEY_REUSED"];
                    };
                };
                /** @description Error: `RATE_LIMITED` */
                429: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_RATE_LIMITED"];
                    };
                };
                /** @description Error: `INTERNAL` */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_INTERNAL"];
                    };
                };
                /** @description Error: `STORE_UNAVAILABLE` */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_STORE_UNAVAILABLE"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/corpora/{corpus}/canaries/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** @description Needs an API key with the `admin` scope (or `admin`). */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    corpus: string;
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description No content */
                204: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Error: `BAD_REQUEST`, `INVALID_JSON`, `VALIDATION_FAILED` */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_BAD_REQUEST_INVALID_JSON_VALIDATION_FAILED"];
                    };
                };
                /** @description Error: `UNAUTHORIZED` */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNAUTHORIZED"];
                    };
                };
                /** @description Error: `FORBIDDEN` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_FORBIDDEN"];
                    };
                };
                /** @description Error: `CANARY_NOT_FOUND`, `CORPUS_NOT_FOUND` */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_CANARY_NOT_FOUND_CORPUS_NOT_FOUND"];
                    };
                };
                /** @description Error: `PAYLOAD_TOO_LARGE` */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_PAYLOAD_TOO_LARGE"];
                    };
                };
                /** @description Error: `UNSUPPORTED_MEDIA_TYPE` */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNSUPPORTED_MEDIA_TYPE"];
                    };
                };
                /** @description Error: `RATE_LIMITED` */
                429: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_RATE_LIMITED"];
                    };
                };
                /** @description Error: `INTERNAL` */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_INTERNAL"];
                    };
                };
                /** @description Error: `STORE_UNAVAILABLE` */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_STORE_UNAVAILABLE"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/corpora/{corpus}/canaries/generate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Needs an API key with the `admin` scope (or `admin`). */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    corpus: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @default 10 */
                        count?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            proposals: ({
                                query: string;
                            } & {
                                [key: string]: unknown;
                            })[];
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description Error: `BAD_REQUEST`, `INVALID_JSON`, `VALIDATION_FAILED` */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_BAD_REQUEST_INVALID_JSON_VALIDATION_FAILED"];
                    };
                };
                /** @description Error: `UNAUTHORIZED` */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNAUTHORIZED"];
                    };
                };
                /** @description Error: `FORBIDDEN` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_FORBIDDEN"];
                    };
                };
                /** @description Error: `CORPUS_NOT_FOUND` */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_CORPUS_NOT_FOUND"];
                    };
                };
                /** @description Error: `PAYLOAD_TOO_LARGE` */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_PAYLOAD_TOO_LARGE"];
                    };
                };
                /** @description Error: `UNSUPPORTED_MEDIA_TYPE` */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNSUPPORTED_MEDIA_TYPE"];
                    };
                };
                /** @description Error: `RATE_LIMITED` */
                429: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_RATE_LIMITED"];
                    };
                };
                /** @description Error: `INTERNAL` */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_INTERNAL"];
                    };
                };
                /** @description Error: `STORE_UNAVAILABLE` */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_STORE_UNAVAILABLE"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/corpora/{corpus}/canaries/run": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Needs an API key with the `admin` scope (or `admin`). */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Replays the first completed outcome of this key for 24 hours */
                    "Idempotency-Key"?: string;
                };
                path: {
                    corpus: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description Present when this is the stored outcome of an earlier request with the same Idempotency-Key */
                        "Idempotent-Replayed"?: "true";
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["CanaryRun"];
                    };
                };
                /** @description Error: `BAD_REQUEST`, `INVALID_JSON`, `VALIDATION_FAILED` */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_BAD_REQUEST_INVALID_JSON_VALIDATION_FAILED"];
                    };
                };
                /** @description Error: `UNAUTHORIZED` */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNAUTHORIZED"];
                    };
                };
                /** @description Error: `FORBIDDEN` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_FORBIDDEN"];
                    };
                };
                /** @description Error: `CORPUS_NOT_FOUND` */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_CORPUS_NOT_FOUND"];
                    };
                };
                /** @description Error: `IDEMPOTENCY_IN_PROGRESS` */
                409: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_IDEMPOTENCY_IN_PROGRESS"];
                    };
                };
                /** @description Error: `PAYLOAD_TOO_LARGE` */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_PAYLOAD_TOO_LARGE"];
                    };
                };
                /** @description Error: `UNSUPPORTED_MEDIA_TYPE` */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNSUPPORTED_MEDIA_TYPE"];
                    };
                };
                /** @description Error: `IDEMPOTENCY_KEY_REUSED` */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_IDEMPOTENCY_KEY_REUSED"];
                    };
                };
                /** @description Error: `RATE_LIMITED` */
                429: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_RATE_LIMITED"];
                    };
                };
                /** @description Error: `INTERNAL` */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_INTERNAL"];
                    };
                };
                /** @description Error: `STORE_UNAVAILABLE` */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_STORE_UNAVAILABLE"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/corpora/{corpus}/canary-runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Needs an API key (any scope). */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                };
                header?: never;
                path: {
                    corpus: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            runs: components["schemas"]["CanaryRun"][];
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description Error: `BAD_REQUEST`, `VALIDATION_FAILED` */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_BAD_REQUEST_VALIDATION_FAILED"];
                    };
                };
                /** @description Error: `UNAUTHORIZED` */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNAUTHORIZED"];
                    };
                };
                /** @description Error: `CORPUS_NOT_FOUND` */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_CORPUS_NOT_FOUND"];
                    };
                };
                /** @description Error: `INTERNAL` */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_INTERNAL"];
                    };
                };
                /** @description Error: `STORE_UNAVAILABLE` */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_STORE_UNAVAILABLE"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/corpora/{corpus}/canary-settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Needs an API key (any scope). */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    corpus: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["CanarySettings"];
                    };
                };
                /** @description Error: `BAD_REQUEST`, `VALIDATION_FAILED` */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_BAD_REQUEST_VALIDATION_FAILED"];
                    };
                };
                /** @description Error: `UNAUTHORIZED` */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNAUTHORIZED"];
                    };
                };
                /** @description Error: `CORPUS_NOT_FOUND` */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_CORPUS_NOT_FOUND"];
                    };
                };
                /** @description Error: `INTERNAL` */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_INTERNAL"];
                    };
                };
                /** @description Error: `STORE_UNAVAILABLE` */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_STORE_UNAVAILABLE"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** @description Needs an API key with the `admin` scope (or `admin`). */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    corpus: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        cron?: string;
                        dropDelta?: number;
                        gateTolerance?: number;
                        threshold?: number;
                        timezone?: string;
                        webhooks?: string[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["CanarySettings"];
                    };
                };
                /** @description Error: `BAD_REQUEST`, `INVALID_JSON`, `VALIDATION_FAILED` */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_BAD_REQUEST_INVALID_JSON_VALIDATION_FAILED"];
                    };
                };
                /** @description Error: `UNAUTHORIZED` */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNAUTHORIZED"];
                    };
                };
                /** @description Error: `FORBIDDEN` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_FORBIDDEN"];
                    };
                };
                /** @description Error: `CORPUS_NOT_FOUND` */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_CORPUS_NOT_FOUND"];
                    };
                };
                /** @description Error: `PAYLOAD_TOO_LARGE` */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_PAYLOAD_TOO_LARGE"];
                    };
                };
                /** @description Error: `UNSUPPORTED_MEDIA_TYPE` */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNSUPPORTED_MEDIA_TYPE"];
                    };
                };
                /** @description Error: `WEBHOOK_TARGET_FORBIDDEN` */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_WEBHOOK_TARGET_FORBIDDEN"];
                    };
                };
                /** @description Error: `RATE_LIMITED` */
                429: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_RATE_LIMITED"];
                    };
                };
                /** @description Error: `INTERNAL` */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_INTERNAL"];
                    };
                };
                /** @description Error: `STORE_UNAVAILABLE` */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_STORE_UNAVAILABLE"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/corpora/{corpus}/documents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Needs an API key (any scope). */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                    offset?: number;
                };
                header?: never;
                path: {
                    corpus: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            documents: components["schemas"]["Document"][];
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description Error: `BAD_REQUEST`, `VALIDATION_FAILED` */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_BAD_REQUEST_VALIDATION_FAILED"];
                    };
                };
                /** @description Error: `UNAUTHORIZED` */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNAUTHORIZED"];
                    };
                };
                /** @description Error: `CORPUS_NOT_FOUND` */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_CORPUS_NOT_FOUND"];
                    };
                };
                /** @description Error: `INTERNAL` */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_INTERNAL"];
                    };
                };
                /** @description Error: `STORE_UNAVAILABLE` */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_STORE_UNAVAILABLE"];
                    };
                };
            };
        };
        put?: never;
        /** @description Needs an API key with the `ingest` scope (or `admin`). */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Replays the first completed outcome of this key for 24 hours */
                    "Idempotency-Key"?: string;
                };
                path: {
                    corpus: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "multipart/form-data": {
                        externalId?: string;
                        /**
                         * Format: binary
                         * @description The document (type sniffed from its bytes)
                         */
                        file: string;
                        title?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        /** @description Present when this is the stored outcome of an earlier request with the same Idempotency-Key */
                        "Idempotent-Replayed"?: "true";
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["UploadResult"];
                    };
                };
                /** @description Error: `BAD_REQUEST`, `INVALID_JSON`, `VALIDATION_FAILED` */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_BAD_REQUEST_INVALID_JSON_VALIDATION_FAILED"];
                    };
                };
                /** @description Error: `UNAUTHORIZED` */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNAUTHORIZED"];
                    };
                };
                /** @description Error: `FORBIDDEN` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_FORBIDDEN"];
                    };
                };
                /** @description Error: `CORPUS_NOT_FOUND` */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_CORPUS_NOT_FOUND"];
                    };
                };
                /** @description Error: `IDEMPOTENCY_IN_PROGRESS` */
                409: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_IDEMPOTENCY_IN_PROGRESS"];
                    };
                };
                /** @description Error: `PAYLOAD_TOO_LARGE` */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_PAYLOAD_TOO_LARGE"];
                    };
                };
                /** @description Error: `UNSUPPORTED_MEDIA_TYPE` */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNSUPPORTED_MEDIA_TYPE"];
                    };
                };
                /** @description Error: `EMPTY_FILE`, `IDEMPOTENCY_KEY_REUSED`, `OFFICE_ENCRYPTED` */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_EMPTY_FILE_IDEMPOTENCY_KEY_REUSED_OFFICE_ENCRYPTED"];
                    };
                };
                /** @description Error: `RATE_LIMITED` */
                429: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_RATE_LIMITED"];
                    };
                };
                /** @description Error: `INTERNAL` */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_INTERNAL"];
                    };
                };
                /** @description Error: `OVERLOADED`, `QUEUE_UNAVAILABLE`, `STORE_UNAVAILABLE` */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_OVERLOADED_QUEUE_UNAVAILABLE_STORE_UNAVAILABLE"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/corpora/{corpus}/search": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Needs an API key with the `query` scope (or `admin`). */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    corpus: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        filters?: {
                            documentIds?: string[];
                        };
                        /** @default 10 */
                        k?: number;
                        /**
                         * @default hybrid+rerank
                         * @enum {string}
                         */
                        mode?: "hybrid+rerank" | "hybrid" | "bm25" | "vector";
                        query: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SearchResponse"];
                    };
                };
                /** @description Error: `BAD_REQUEST`, `INVALID_JSON`, `VALIDATION_FAILED` */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_BAD_REQUEST_INVALID_JSON_VALIDATION_FAILED"];
                    };
                };
                /** @description Error: `UNAUTHORIZED` */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNAUTHORIZED"];
                    };
                };
                /** @description Error: `FORBIDDEN` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_FORBIDDEN"];
                    };
                };
                /** @description Error: `CORPUS_NOT_FOUND` */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_CORPUS_NOT_FOUND"];
                    };
                };
                /** @description Error: `PAYLOAD_TOO_LARGE` */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_PAYLOAD_TOO_LARGE"];
                    };
                };
                /** @description Error: `UNSUPPORTED_MEDIA_TYPE` */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNSUPPORTED_MEDIA_TYPE"];
                    };
                };
                /** @description Error: `RATE_LIMITED` */
                429: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_RATE_LIMITED"];
                    };
                };
                /** @description Error: `INTERNAL` */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_INTERNAL"];
                    };
                };
                /** @description Error: `PROVIDER_BAD_OUTPUT`, `PROVIDER_ERROR` */
                502: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_PROVIDER_BAD_OUTPUT_PROVIDER_ERROR"];
                    };
                };
                /** @description Error: `CIRCUIT_OPEN`, `INDEX_UNAVAILABLE`, `INDEX_UNSUPPORTED`, `PROVIDER_QUOTA_EXCEEDED`, `PROVIDER_RATE_LIMITED`, `STORE_UNAVAILABLE` */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_CIRCUIT_OPEN_INDEX_UNAVAILABLE_INDEX_UNSUPPORTED_PROVIDER_QUOTA_EXCEEDED_PROVIDER_RATE_LIMITED_STORE_UNAVAILABLE"];
                    };
                };
                /** @description Error: `PROVIDER_TIMEOUT` */
                504: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_PROVIDER_TIMEOUT"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/corpora/{corpus}/sources": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Needs an API key (any scope). */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    corpus: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            sources: components["schemas"]["Source"][];
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description Error: `BAD_REQUEST`, `VALIDATION_FAILED` */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_BAD_REQUEST_VALIDATION_FAILED"];
                    };
                };
                /** @description Error: `UNAUTHORIZED` */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNAUTHORIZED"];
                    };
                };
                /** @description Error: `CORPUS_NOT_FOUND` */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_CORPUS_NOT_FOUND"];
                    };
                };
                /** @description Error: `INTERNAL` */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_INTERNAL"];
                    };
                };
                /** @description Error: `STORE_UNAVAILABLE` */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_STORE_UNAVAILABLE"];
                    };
                };
            };
        };
        put?: never;
        /** @description Needs an API key with the `ingest` scope (or `admin`). */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    corpus: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        exclude?: string[];
                        include?: string[];
                        /** @description Cron pattern (UTC) of scheduled re-syncs, at most every 5 minutes */
                        schedule?: string | null;
                        /** @enum {string} */
                        type: "sitemap";
                        /** @description The sitemap (or sitemap index) URL */
                        url: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Source"];
                    };
                };
                /** @description Error: `BAD_REQUEST`, `INVALID_JSON`, `SCHEDULE_INVALID`, `SOURCE_URL_INVALID`, `VALIDATION_FAILED` */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_BAD_REQUEST_INVALID_JSON_SCHEDULE_INVALID_SOURCE_URL_INVALID_VALIDATION_FAILED"];
                    };
                };
                /** @description Error: `UNAUTHORIZED` */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNAUTHORIZED"];
                    };
                };
                /** @description Error: `FORBIDDEN` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_FORBIDDEN"];
                    };
                };
                /** @description Error: `CORPUS_NOT_FOUND` */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_CORPUS_NOT_FOUND"];
                    };
                };
                /** @description Error: `PAYLOAD_TOO_LARGE` */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_PAYLOAD_TOO_LARGE"];
                    };
                };
                /** @description Error: `UNSUPPORTED_MEDIA_TYPE` */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNSUPPORTED_MEDIA_TYPE"];
                    };
                };
                /** @description Error: `SOURCE_URL_FORBIDDEN` */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_SOURCE_URL_FORBIDDEN"];
                    };
                };
                /** @description Error: `RATE_LIMITED` */
                429: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_RATE_LIMITED"];
                    };
                };
                /** @description Error: `INTERNAL` */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_INTERNAL"];
                    };
                };
                /** @description Error: `STORE_UNAVAILABLE` */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_STORE_UNAVAILABLE"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/documents/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Needs an API key (any scope). */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Document"];
                    };
                };
                /** @description Error: `BAD_REQUEST`, `VALIDATION_FAILED` */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_BAD_REQUEST_VALIDATION_FAILED"];
                    };
                };
                /** @description Error: `UNAUTHORIZED` */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNAUTHORIZED"];
                    };
                };
                /** @description Error: `DOCUMENT_NOT_FOUND` */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_DOCUMENT_NOT_FOUND"];
                    };
                };
                /** @description Error: `INTERNAL` */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_INTERNAL"];
                    };
                };
                /** @description Error: `STORE_UNAVAILABLE` */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_STORE_UNAVAILABLE"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** @description Needs an API key with the `ingest` scope (or `admin`). */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description No content */
                204: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Error: `BAD_REQUEST`, `INVALID_JSON`, `VALIDATION_FAILED` */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_BAD_REQUEST_INVALID_JSON_VALIDATION_FAILED"];
                    };
                };
                /** @description Error: `UNAUTHORIZED` */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNAUTHORIZED"];
                    };
                };
                /** @description Error: `FORBIDDEN` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_FORBIDDEN"];
                    };
                };
                /** @description Error: `DOCUMENT_NOT_FOUND` */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_DOCUMENT_NOT_FOUND"];
                    };
                };
                /** @description Error: `PAYLOAD_TOO_LARGE` */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_PAYLOAD_TOO_LARGE"];
                    };
                };
                /** @description Error: `UNSUPPORTED_MEDIA_TYPE` */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNSUPPORTED_MEDIA_TYPE"];
                    };
                };
                /** @description Error: `RATE_LIMITED` */
                429: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_RATE_LIMITED"];
                    };
                };
                /** @description Error: `INTERNAL` */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_INTERNAL"];
                    };
                };
                /** @description Error: `STORE_UNAVAILABLE` */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_STORE_UNAVAILABLE"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/feedback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Needs an API key with the `query` scope (or `admin`). */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Replays the first completed outcome of this key for 24 hours */
                    "Idempotency-Key"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        comment?: string;
                        /** @enum {string} */
                        rating: "up" | "down";
                        /** Format: uuid */
                        traceId: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        /** @description Present when this is the stored outcome of an earlier request with the same Idempotency-Key */
                        "Idempotent-Replayed"?: "true";
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            /** @enum {string} */
                            rating: "up" | "down";
                            traceId: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description Error: `BAD_REQUEST`, `INVALID_JSON`, `VALIDATION_FAILED` */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_BAD_REQUEST_INVALID_JSON_VALIDATION_FAILED"];
                    };
                };
                /** @description Error: `UNAUTHORIZED` */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNAUTHORIZED"];
                    };
                };
                /** @description Error: `FORBIDDEN` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_FORBIDDEN"];
                    };
                };
                /** @description Error: `TRACE_NOT_FOUND` */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_TRACE_NOT_FOUND"];
                    };
                };
                /** @description Error: `IDEMPOTENCY_IN_PROGRESS` */
                409: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_IDEMPOTENCY_IN_PROGRESS"];
                    };
                };
                /** @description Error: `PAYLOAD_TOO_LARGE` */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_PAYLOAD_TOO_LARGE"];
                    };
                };
                /** @description Error: `UNSUPPORTED_MEDIA_TYPE` */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNSUPPORTED_MEDIA_TYPE"];
                    };
                };
                /** @description Error: `IDEMPOTENCY_KEY_REUSED` */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_IDEMPOTENCY_KEY_REUSED"];
                    };
                };
                /** @description Error: `RATE_LIMITED` */
                429: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_RATE_LIMITED"];
                    };
                };
                /** @description Error: `INTERNAL` */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_INTERNAL"];
                    };
                };
                /** @description Error: `STORE_UNAVAILABLE` */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_STORE_UNAVAILABLE"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Needs an API key (any scope). */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Job"];
                    };
                };
                /** @description Error: `BAD_REQUEST`, `VALIDATION_FAILED` */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_BAD_REQUEST_VALIDATION_FAILED"];
                    };
                };
                /** @description Error: `UNAUTHORIZED` */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNAUTHORIZED"];
                    };
                };
                /** @description Error: `JOB_NOT_FOUND` */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_JOB_NOT_FOUND"];
                    };
                };
                /** @description Error: `INTERNAL` */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_INTERNAL"];
                    };
                };
                /** @description Error: `STORE_UNAVAILABLE` */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_STORE_UNAVAILABLE"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sources/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Needs an API key (any scope). */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Source"];
                    };
                };
                /** @description Error: `BAD_REQUEST`, `VALIDATION_FAILED` */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_BAD_REQUEST_VALIDATION_FAILED"];
                    };
                };
                /** @description Error: `UNAUTHORIZED` */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNAUTHORIZED"];
                    };
                };
                /** @description Error: `SOURCE_NOT_FOUND` */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_SOURCE_NOT_FOUND"];
                    };
                };
                /** @description Error: `INTERNAL` */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_INTERNAL"];
                    };
                };
                /** @description Error: `STORE_UNAVAILABLE` */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_STORE_UNAVAILABLE"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** @description Needs an API key with the `ingest` scope (or `admin`). */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Documents of the source's pages deleted with it */
                            deletedDocuments: number;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description Error: `BAD_REQUEST`, `INVALID_JSON`, `VALIDATION_FAILED` */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_BAD_REQUEST_INVALID_JSON_VALIDATION_FAILED"];
                    };
                };
                /** @description Error: `UNAUTHORIZED` */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNAUTHORIZED"];
                    };
                };
                /** @description Error: `FORBIDDEN` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_FORBIDDEN"];
                    };
                };
                /** @description Error: `SOURCE_NOT_FOUND` */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_SOURCE_NOT_FOUND"];
                    };
                };
                /** @description Error: `PAYLOAD_TOO_LARGE` */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_PAYLOAD_TOO_LARGE"];
                    };
                };
                /** @description Error: `UNSUPPORTED_MEDIA_TYPE` */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNSUPPORTED_MEDIA_TYPE"];
                    };
                };
                /** @description Error: `RATE_LIMITED` */
                429: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_RATE_LIMITED"];
                    };
                };
                /** @description Error: `INTERNAL` */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_INTERNAL"];
                    };
                };
                /** @description Error: `STORE_UNAVAILABLE` */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_STORE_UNAVAILABLE"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sources/{id}/sync": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Needs an API key with the `ingest` scope (or `admin`). */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SourceSync"];
                    };
                };
                /** @description Error: `BAD_REQUEST`, `INVALID_JSON`, `VALIDATION_FAILED` */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_BAD_REQUEST_INVALID_JSON_VALIDATION_FAILED"];
                    };
                };
                /** @description Error: `UNAUTHORIZED` */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNAUTHORIZED"];
                    };
                };
                /** @description Error: `FORBIDDEN` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_FORBIDDEN"];
                    };
                };
                /** @description Error: `SOURCE_NOT_FOUND` */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_SOURCE_NOT_FOUND"];
                    };
                };
                /** @description Error: `PAYLOAD_TOO_LARGE` */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_PAYLOAD_TOO_LARGE"];
                    };
                };
                /** @description Error: `UNSUPPORTED_MEDIA_TYPE` */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNSUPPORTED_MEDIA_TYPE"];
                    };
                };
                /** @description Error: `RATE_LIMITED` */
                429: {
                    headers: {
                        /** @description Requests allowed per window */
                        "RateLimit-Limit"?: number;
                        /** @description Requests left in this window */
                        "RateLimit-Remaining"?: number;
                        /** @description Seconds until the window resets */
                        "RateLimit-Reset"?: number;
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_RATE_LIMITED"];
                    };
                };
                /** @description Error: `INTERNAL` */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_INTERNAL"];
                    };
                };
                /** @description Error: `STORE_UNAVAILABLE` */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_STORE_UNAVAILABLE"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/traces/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Needs an API key with the `query` scope (or `admin`). */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description ISO 8601 timestamp */
                            createdAt: string;
                            id: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description Error: `BAD_REQUEST`, `VALIDATION_FAILED` */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_BAD_REQUEST_VALIDATION_FAILED"];
                    };
                };
                /** @description Error: `UNAUTHORIZED` */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNAUTHORIZED"];
                    };
                };
                /** @description Error: `FORBIDDEN` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_FORBIDDEN"];
                    };
                };
                /** @description Error: `TRACE_NOT_FOUND` */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_TRACE_NOT_FOUND"];
                    };
                };
                /** @description Error: `INTERNAL` */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_INTERNAL"];
                    };
                };
                /** @description Error: `STORE_UNAVAILABLE` */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_STORE_UNAVAILABLE"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/versions/{id}/original": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Needs an API key with the `query` scope (or `admin`). */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The file as it was uploaded, with its sniffed content type and Content-Disposition */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": string;
                    };
                };
                /** @description Error: `BAD_REQUEST`, `VALIDATION_FAILED` */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_BAD_REQUEST_VALIDATION_FAILED"];
                    };
                };
                /** @description Error: `UNAUTHORIZED` */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNAUTHORIZED"];
                    };
                };
                /** @description Error: `FORBIDDEN` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_FORBIDDEN"];
                    };
                };
                /** @description Error: `NOT_FOUND` */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_NOT_FOUND"];
                    };
                };
                /** @description Error: `INTERNAL` */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_INTERNAL"];
                    };
                };
                /** @description Error: `STORE_UNAVAILABLE` */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_STORE_UNAVAILABLE"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/versions/{id}/text": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Needs an API key with the `query` scope (or `admin`). */
        get: {
            parameters: {
                query?: {
                    end?: number;
                    start?: number;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            end: number;
                            length: number;
                            start: number;
                            text: string;
                            versionId: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description Error: `BAD_REQUEST`, `VALIDATION_FAILED` */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_BAD_REQUEST_VALIDATION_FAILED"];
                    };
                };
                /** @description Error: `UNAUTHORIZED` */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_UNAUTHORIZED"];
                    };
                };
                /** @description Error: `FORBIDDEN` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_FORBIDDEN"];
                    };
                };
                /** @description Error: `NOT_FOUND` */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_NOT_FOUND"];
                    };
                };
                /** @description Error: `INTERNAL` */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_INTERNAL"];
                    };
                };
                /** @description Error: `STORE_UNAVAILABLE` */
                503: {
                    headers: {
                        /** @description Seconds to wait before retrying */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error_STORE_UNAVAILABLE"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Answer: {
            answer: string;
            cached: boolean;
            citations: components["schemas"]["Citation"][];
            degraded: boolean;
            gate: {
                /** @description Why the question was refused before generation, for the agent */
                message: string | null;
                passed: boolean;
                reason: string | null;
            } & {
                [key: string]: unknown;
            };
            /**
             * @description extractive: passages quoted by the local answerer (no language model); generative: a model wrote the answer
             * @enum {string}
             */
            mode: "extractive" | "generative";
            refusalReason: string | null;
            refused: boolean;
            sentences: ({
                citations: number[];
                /** @description Claim support of its best quote (absent when no scorer ran) */
                support?: number;
                text: string;
            } & {
                [key: string]: unknown;
            })[];
            sources: ({
                chunkId: string;
                documentId: string;
                end: number;
                page: number | null;
                score: number;
                start: number;
                text: string;
                title: string;
                versionId: string;
            } & {
                [key: string]: unknown;
            })[];
            timings: {
                [key: string]: number;
            };
            traceId: string;
            usage: {
                /** @description Share of the input the provider read from its prompt cache */
                cachedShare: number;
                cachedTokens: number;
                cacheWriteTokens: number;
                costUsd: number;
                inputTokens: number;
                /** @description The model that answered, as the provider names it (dated id) */
                model: string;
                outputTokens: number;
                provider: string;
            } & {
                [key: string]: unknown;
            };
        } & {
            [key: string]: unknown;
        };
        AnswerInput: {
            answer: string;
            cached: boolean;
            citations: components["schemas"]["CitationInput"][];
            degraded: boolean;
            gate: {
                /** @description Why the question was refused before generation, for the agent */
                message: string | null;
                passed: boolean;
                reason: string | null;
            } & {
                [key: string]: unknown;
            };
            /**
             * @description extractive: passages quoted by the local answerer (no language model); generative: a model wrote the answer
             * @enum {string}
             */
            mode: "extractive" | "generative";
            refusalReason: string | null;
            refused: boolean;
            sentences: ({
                citations: number[];
                /** @description Claim support of its best quote (absent when no scorer ran) */
                support?: number;
                text: string;
            } & {
                [key: string]: unknown;
            })[];
            sources: ({
                chunkId: string;
                documentId: string;
                end: number;
                page: number | null;
                score: number;
                start: number;
                text: string;
                title: string;
                versionId: string;
            } & {
                [key: string]: unknown;
            })[];
            timings: {
                [key: string]: number;
            };
            traceId: string;
            usage: {
                /** @description Share of the input the provider read from its prompt cache */
                cachedShare: number;
                cachedTokens: number;
                cacheWriteTokens: number;
                costUsd: number;
                inputTokens: number;
                /** @description The model that answered, as the provider names it (dated id) */
                model: string;
                outputTokens: number;
                provider: string;
            } & {
                [key: string]: unknown;
            };
        } & {
            [key: string]: unknown;
        };
        ApiKey: {
            /** @description ISO 8601 timestamp */
            createdAt: string;
            id: string;
            lastUsedAt: string | null;
            name: string;
            prefix: string;
            revokedAt: string | null;
            scopes: string[];
        } & {
            [key: string]: unknown;
        };
        ApiKeyInput: {
            /** @description ISO 8601 timestamp */
            createdAt: string;
            id: string;
            lastUsedAt: string | null;
            name: string;
            prefix: string;
            revokedAt: string | null;
            scopes: string[];
        } & {
            [key: string]: unknown;
        };
        Build: {
            analyzerVersion: string | number;
            canaryReport: unknown | null;
            chunker: {
                [key: string]: unknown;
            };
            chunkerHash: string;
            corpusId: string;
            /** @description ISO 8601 timestamp */
            createdAt: string;
            embeddingModel: string;
            id: string;
            promotedAt: string | null;
            stats: {
                chunks: number;
                documents: number;
                failures: number;
            } & {
                [key: string]: unknown;
            };
            status: string;
            warning: string | null;
        } & {
            [key: string]: unknown;
        };
        BuildInput: {
            analyzerVersion: string | number;
            canaryReport: unknown | null;
            chunker: {
                [key: string]: unknown;
            };
            chunkerHash: string;
            corpusId: string;
            /** @description ISO 8601 timestamp */
            createdAt: string;
            embeddingModel: string;
            id: string;
            promotedAt: string | null;
            stats: {
                chunks: number;
                documents: number;
                failures: number;
            } & {
                [key: string]: unknown;
            };
            status: string;
            warning: string | null;
        } & {
            [key: string]: unknown;
        };
        Canary: {
            corpusId: string;
            /** @description ISO 8601 timestamp */
            createdAt: string;
            expect: {
                chunkContains?: string;
                documentId?: string;
            } & {
                [key: string]: unknown;
            };
            id: string;
            k: number;
            query: string;
        } & {
            [key: string]: unknown;
        };
        CanaryInput: {
            corpusId: string;
            /** @description ISO 8601 timestamp */
            createdAt: string;
            expect: {
                chunkContains?: string;
                documentId?: string;
            } & {
                [key: string]: unknown;
            };
            id: string;
            k: number;
            query: string;
        } & {
            [key: string]: unknown;
        };
        CanaryRun: {
            alerted: boolean;
            buildId: string | null;
            corpusId: string;
            /** @description ISO 8601 timestamp */
            createdAt: string;
            error: string | null;
            /** @description The run could not search (error says why) */
            failed: boolean;
            hits: number;
            id: string;
            k: number | null;
            /** @description Canaries whose expected source was not in the top k, and what came instead */
            misses: ({
                got: ({
                    title: string;
                } & {
                    [key: string]: unknown;
                })[];
                query: string;
            } & {
                [key: string]: unknown;
            })[];
            mrr: number | null;
            recallAtK: number | null;
            total: number;
            trigger: string;
        } & {
            [key: string]: unknown;
        };
        CanaryRunInput: {
            alerted: boolean;
            buildId: string | null;
            corpusId: string;
            /** @description ISO 8601 timestamp */
            createdAt: string;
            error: string | null;
            /** @description The run could not search (error says why) */
            failed: boolean;
            hits: number;
            id: string;
            k: number | null;
            /** @description Canaries whose expected source was not in the top k, and what came instead */
            misses: ({
                got: ({
                    title: string;
                } & {
                    [key: string]: unknown;
                })[];
                query: string;
            } & {
                [key: string]: unknown;
            })[];
            mrr: number | null;
            recallAtK: number | null;
            total: number;
            trigger: string;
        } & {
            [key: string]: unknown;
        };
        CanarySettings: {
            [key: string]: unknown;
        };
        CanarySettingsInput: {
            [key: string]: unknown;
        };
        Chunk: {
            documentId: string;
            end: number;
            headingPath: string[] | null;
            id: string;
            ordinal: number;
            page: number | null;
            pageEnd: number | null;
            start: number;
            text: string;
            title: string;
            versionId: string;
        } & {
            [key: string]: unknown;
        };
        ChunkInput: {
            documentId: string;
            end: number;
            headingPath: string[] | null;
            id: string;
            ordinal: number;
            page: number | null;
            pageEnd: number | null;
            start: number;
            text: string;
            title: string;
            versionId: string;
        } & {
            [key: string]: unknown;
        };
        Citation: {
            chunkId: string;
            documentId: string;
            end: number;
            /** @description Section headings above the text (non-paginated sources) */
            headingPath?: string[] | null;
            n: number;
            /** @description Present when the text came from OCR of a scanned page or image */
            ocr?: {
                /** @description OCR's mean word confidence on the pages the text lies on (lowest of them), 0-100 */
                confidence: number;
            } & {
                [key: string]: unknown;
            };
            /** @description Page where the text starts (paginated sources) */
            page: number | null;
            /** @description Page where it ends */
            pageEnd?: number | null;
            /** @description Verbatim text of the source */
            quote: string;
            /** @description Character offset in the version's normalized text */
            start: number;
            title: string;
            verified: boolean;
            versionId: string;
        } & {
            [key: string]: unknown;
        };
        CitationInput: {
            chunkId: string;
            documentId: string;
            end: number;
            /** @description Section headings above the text (non-paginated sources) */
            headingPath?: string[] | null;
            n: number;
            /** @description Present when the text came from OCR of a scanned page or image */
            ocr?: {
                /** @description OCR's mean word confidence on the pages the text lies on (lowest of them), 0-100 */
                confidence: number;
            } & {
                [key: string]: unknown;
            };
            /** @description Page where the text starts (paginated sources) */
            page: number | null;
            /** @description Page where it ends */
            pageEnd?: number | null;
            /** @description Verbatim text of the source */
            quote: string;
            /** @description Character offset in the version's normalized text */
            start: number;
            title: string;
            verified: boolean;
            versionId: string;
        } & {
            [key: string]: unknown;
        };
        Conversation: {
            corpusId: string;
            /** @description ISO 8601 timestamp */
            createdAt: string;
            expiresAt: string | null;
            id: string;
            title: string | null;
            turns: number;
            /** @description ISO 8601 timestamp */
            updatedAt: string;
        } & {
            [key: string]: unknown;
        };
        ConversationInput: {
            corpusId: string;
            /** @description ISO 8601 timestamp */
            createdAt: string;
            expiresAt: string | null;
            id: string;
            title: string | null;
            turns: number;
            /** @description ISO 8601 timestamp */
            updatedAt: string;
        } & {
            [key: string]: unknown;
        };
        ConversationMessage: {
            /** @description The turn body as it was returned */
            answer: {
                answer: string;
                cached: boolean;
                citations: ({
                    chunkId: string;
                    /** @description The cited document version has been deleted since */
                    deleted: boolean;
                    documentId: string;
                    end: number;
                    /** @description Section headings above the text (non-paginated sources) */
                    headingPath?: string[] | null;
                    n: number;
                    /** @description Present when the text came from OCR of a scanned page or image */
                    ocr?: {
                        /** @description OCR's mean word confidence on the pages the text lies on (lowest of them), 0-100 */
                        confidence: number;
                    } & {
                        [key: string]: unknown;
                    };
                    /** @description Page where the text starts (paginated sources) */
                    page: number | null;
                    /** @description Page where it ends */
                    pageEnd?: number | null;
                    /** @description Verbatim text of the source */
                    quote: string;
                    /** @description Character offset in the version's normalized text */
                    start: number;
                    title: string;
                    verified: boolean;
                    versionId: string;
                } & {
                    [key: string]: unknown;
                })[];
                degraded: boolean;
                gate: {
                    /** @description Why the question was refused before generation, for the agent */
                    message: string | null;
                    passed: boolean;
                    reason: string | null;
                } & {
                    [key: string]: unknown;
                };
                /**
                 * @description extractive: passages quoted by the local answerer (no language model); generative: a model wrote the answer
                 * @enum {string}
                 */
                mode: "extractive" | "generative";
                refusalReason: string | null;
                refused: boolean;
                sentences: ({
                    citations: number[];
                    /** @description Claim support of its best quote (absent when no scorer ran) */
                    support?: number;
                    text: string;
                } & {
                    [key: string]: unknown;
                })[];
                sources: ({
                    chunkId: string;
                    documentId: string;
                    end: number;
                    page: number | null;
                    score: number;
                    start: number;
                    text: string;
                    title: string;
                    versionId: string;
                } & {
                    [key: string]: unknown;
                })[];
                timings: {
                    [key: string]: number;
                };
                traceId: string;
                usage: {
                    /** @description Share of the input the provider read from its prompt cache */
                    cachedShare: number;
                    cachedTokens: number;
                    cacheWriteTokens: number;
                    costUsd: number;
                    inputTokens: number;
                    /** @description The model that answered, as the provider names it (dated id) */
                    model: string;
                    outputTokens: number;
                    provider: string;
                } & {
                    [key: string]: unknown;
                };
            } & {
                [key: string]: unknown;
            };
            /** @description ISO 8601 timestamp */
            createdAt: string;
            /** @description The latest rating of this turn (POST /v1/feedback with its traceId) */
            feedback: ("up" | "down") | null;
            question: string;
            standaloneQuestion: string;
            traceId: string | null;
            turn: number;
        } & {
            [key: string]: unknown;
        };
        ConversationMessageInput: {
            /** @description The turn body as it was returned */
            answer: {
                answer: string;
                cached: boolean;
                citations: ({
                    chunkId: string;
                    /** @description The cited document version has been deleted since */
                    deleted: boolean;
                    documentId: string;
                    end: number;
                    /** @description Section headings above the text (non-paginated sources) */
                    headingPath?: string[] | null;
                    n: number;
                    /** @description Present when the text came from OCR of a scanned page or image */
                    ocr?: {
                        /** @description OCR's mean word confidence on the pages the text lies on (lowest of them), 0-100 */
                        confidence: number;
                    } & {
                        [key: string]: unknown;
                    };
                    /** @description Page where the text starts (paginated sources) */
                    page: number | null;
                    /** @description Page where it ends */
                    pageEnd?: number | null;
                    /** @description Verbatim text of the source */
                    quote: string;
                    /** @description Character offset in the version's normalized text */
                    start: number;
                    title: string;
                    verified: boolean;
                    versionId: string;
                } & {
                    [key: string]: unknown;
                })[];
                degraded: boolean;
                gate: {
                    /** @description Why the question was refused before generation, for the agent */
                    message: string | null;
                    passed: boolean;
                    reason: string | null;
                } & {
                    [key: string]: unknown;
                };
                /**
                 * @description extractive: passages quoted by the local answerer (no language model); generative: a model wrote the answer
                 * @enum {string}
                 */
                mode: "extractive" | "generative";
                refusalReason: string | null;
                refused: boolean;
                sentences: ({
                    citations: number[];
                    /** @description Claim support of its best quote (absent when no scorer ran) */
                    support?: number;
                    text: string;
                } & {
                    [key: string]: unknown;
                })[];
                sources: ({
                    chunkId: string;
                    documentId: string;
                    end: number;
                    page: number | null;
                    score: number;
                    start: number;
                    text: string;
                    title: string;
                    versionId: string;
                } & {
                    [key: string]: unknown;
                })[];
                timings: {
                    [key: string]: number;
                };
                traceId: string;
                usage: {
                    /** @description Share of the input the provider read from its prompt cache */
                    cachedShare: number;
                    cachedTokens: number;
                    cacheWriteTokens: number;
                    costUsd: number;
                    inputTokens: number;
                    /** @description The model that answered, as the provider names it (dated id) */
                    model: string;
                    outputTokens: number;
                    provider: string;
                } & {
                    [key: string]: unknown;
                };
            } & {
                [key: string]: unknown;
            };
            /** @description ISO 8601 timestamp */
            createdAt: string;
            /** @description The latest rating of this turn (POST /v1/feedback with its traceId) */
            feedback: ("up" | "down") | null;
            question: string;
            standaloneQuestion: string;
            traceId: string | null;
            turn: number;
        } & {
            [key: string]: unknown;
        };
        ConversationTurn: {
            answer: string;
            cached: boolean;
            citations: components["schemas"]["Citation"][];
            conversationId: string;
            degraded: boolean;
            gate: {
                /** @description Why the question was refused before generation, for the agent */
                message: string | null;
                passed: boolean;
                reason: string | null;
            } & {
                [key: string]: unknown;
            };
            /**
             * @description extractive: passages quoted by the local answerer (no language model); generative: a model wrote the answer
             * @enum {string}
             */
            mode: "extractive" | "generative";
            question: string;
            refusalReason: string | null;
            refused: boolean;
            /** @description Which rewriter produced standaloneQuestion */
            rewriter?: {
                /** @description none (first turn), local, cached (this turn rewritten before), or the provider */
                by: string;
                /** @description provider:model whose rewrite failed; the local rewrite stood in */
                fallbackFrom?: string;
                /** @description the error code of that failure */
                fallbackReason?: string;
                model?: string;
                ms: number;
                usage?: {
                    cachedTokens: number;
                    costUsd: number;
                    inputTokens: number;
                    outputTokens: number;
                } & {
                    [key: string]: unknown;
                };
            } & {
                [key: string]: unknown;
            };
            sentences: ({
                citations: number[];
                /** @description Claim support of its best quote (absent when no scorer ran) */
                support?: number;
                text: string;
            } & {
                [key: string]: unknown;
            })[];
            sources: ({
                chunkId: string;
                documentId: string;
                end: number;
                page: number | null;
                score: number;
                start: number;
                text: string;
                title: string;
                versionId: string;
            } & {
                [key: string]: unknown;
            })[];
            /** @description The follow-up rewritten to stand alone; what retrieval searched for */
            standaloneQuestion: string;
            timings: {
                [key: string]: number;
            };
            traceId: string;
            turn: number;
            usage: {
                /** @description Share of the input the provider read from its prompt cache */
                cachedShare: number;
                cachedTokens: number;
                cacheWriteTokens: number;
                costUsd: number;
                inputTokens: number;
                /** @description The model that answered, as the provider names it (dated id) */
                model: string;
                outputTokens: number;
                provider: string;
            } & {
                [key: string]: unknown;
            };
        } & {
            [key: string]: unknown;
        };
        ConversationTurnInput: {
            answer: string;
            cached: boolean;
            citations: components["schemas"]["CitationInput"][];
            conversationId: string;
            degraded: boolean;
            gate: {
                /** @description Why the question was refused before generation, for the agent */
                message: string | null;
                passed: boolean;
                reason: string | null;
            } & {
                [key: string]: unknown;
            };
            /**
             * @description extractive: passages quoted by the local answerer (no language model); generative: a model wrote the answer
             * @enum {string}
             */
            mode: "extractive" | "generative";
            question: string;
            refusalReason: string | null;
            refused: boolean;
            /** @description Which rewriter produced standaloneQuestion */
            rewriter?: {
                /** @description none (first turn), local, cached (this turn rewritten before), or the provider */
                by: string;
                /** @description provider:model whose rewrite failed; the local rewrite stood in */
                fallbackFrom?: string;
                /** @description the error code of that failure */
                fallbackReason?: string;
                model?: string;
                ms: number;
                usage?: {
                    cachedTokens: number;
                    costUsd: number;
                    inputTokens: number;
                    outputTokens: number;
                } & {
                    [key: string]: unknown;
                };
            } & {
                [key: string]: unknown;
            };
            sentences: ({
                citations: number[];
                /** @description Claim support of its best quote (absent when no scorer ran) */
                support?: number;
                text: string;
            } & {
                [key: string]: unknown;
            })[];
            sources: ({
                chunkId: string;
                documentId: string;
                end: number;
                page: number | null;
                score: number;
                start: number;
                text: string;
                title: string;
                versionId: string;
            } & {
                [key: string]: unknown;
            })[];
            /** @description The follow-up rewritten to stand alone; what retrieval searched for */
            standaloneQuestion: string;
            timings: {
                [key: string]: number;
            };
            traceId: string;
            turn: number;
            usage: {
                /** @description Share of the input the provider read from its prompt cache */
                cachedShare: number;
                cachedTokens: number;
                cacheWriteTokens: number;
                costUsd: number;
                inputTokens: number;
                /** @description The model that answered, as the provider names it (dated id) */
                model: string;
                outputTokens: number;
                provider: string;
            } & {
                [key: string]: unknown;
            };
        } & {
            [key: string]: unknown;
        };
        Corpus: {
            activeBuildId: string | null;
            /** @description ISO 8601 timestamp */
            createdAt: string;
            generation: number;
            id: string;
            name: string;
        } & {
            [key: string]: unknown;
        };
        CorpusInput: {
            activeBuildId: string | null;
            /** @description ISO 8601 timestamp */
            createdAt: string;
            generation: number;
            id: string;
            name: string;
        } & {
            [key: string]: unknown;
        };
        Document: {
            corpusId: string;
            /** @description ISO 8601 timestamp */
            createdAt: string;
            id: string;
            /** @description An email attachment's document: the email's document */
            parentDocumentId?: string | null;
            status: string;
            title: string;
            versions: ({
                /** @description An email version's attachments and what became of each */
                attachments?: ({
                    bytes: number;
                    /** @description The document the attachment became */
                    documentId?: string;
                    /** @description Why the attachment was not ingested, or its document failed (the email itself is not failed) */
                    error?: {
                        code: string;
                        message: string;
                    } & {
                        [key: string]: unknown;
                    };
                    fileName: string;
                    /** @description As the email declared it */
                    mime: string;
                    /** @description Its document's version status, when it became one */
                    status?: string;
                    versionId?: string;
                } & {
                    [key: string]: unknown;
                })[];
                bytes: number;
                chunkCount: number;
                /** @description ISO 8601 timestamp */
                createdAt: string;
                /** @description Why the version failed to ingest */
                error?: {
                    code: string;
                    message: string;
                } & {
                    [key: string]: unknown;
                };
                fileName: string | null;
                id: string;
                /** @description The ingestion job of this version */
                jobId: string | null;
                /** @description The type the file was sniffed as */
                mime: string;
                pages: number | null;
                status: string;
            } & {
                [key: string]: unknown;
            })[];
        } & {
            [key: string]: unknown;
        };
        DocumentInput: {
            corpusId: string;
            /** @description ISO 8601 timestamp */
            createdAt: string;
            id: string;
            /** @description An email attachment's document: the email's document */
            parentDocumentId?: string | null;
            status: string;
            title: string;
            versions: ({
                /** @description An email version's attachments and what became of each */
                attachments?: ({
                    bytes: number;
                    /** @description The document the attachment became */
                    documentId?: string;
                    /** @description Why the attachment was not ingested, or its document failed (the email itself is not failed) */
                    error?: {
                        code: string;
                        message: string;
                    } & {
                        [key: string]: unknown;
                    };
                    fileName: string;
                    /** @description As the email declared it */
                    mime: string;
                    /** @description Its document's version status, when it became one */
                    status?: string;
                    versionId?: string;
                } & {
                    [key: string]: unknown;
                })[];
                bytes: number;
                chunkCount: number;
                /** @description ISO 8601 timestamp */
                createdAt: string;
                /** @description Why the version failed to ingest */
                error?: {
                    code: string;
                    message: string;
                } & {
                    [key: string]: unknown;
                };
                fileName: string | null;
                id: string;
                /** @description The ingestion job of this version */
                jobId: string | null;
                /** @description The type the file was sniffed as */
                mime: string;
                pages: number | null;
                status: string;
            } & {
                [key: string]: unknown;
            })[];
        } & {
            [key: string]: unknown;
        };
        Error: {
            error: {
                /**
                 * @description Stable error code; see the catalogue in the API description
                 * @enum {string}
                 */
                code: "BAD_REQUEST" | "VALIDATION_FAILED" | "INVALID_JSON" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "ROUTE_NOT_FOUND" | "METHOD_NOT_ALLOWED" | "NOT_ACCEPTABLE" | "CORPUS_NOT_FOUND" | "DOCUMENT_NOT_FOUND" | "JOB_NOT_FOUND" | "BUILD_NOT_FOUND" | "TRACE_NOT_FOUND" | "CANARY_NOT_FOUND" | "TENANT_NOT_FOUND" | "KEY_NOT_FOUND" | "CONVERSATION_NOT_FOUND" | "CONFLICT" | "CORPUS_EXISTS" | "IDEMPOTENCY_IN_PROGRESS" | "CONVERSATION_BUSY" | "BUILD_NOT_PROMOTABLE" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "EMPTY_FILE" | "IDEMPOTENCY_KEY_REUSED" | "BUDGET_EXCEEDED" | "RATE_LIMITED" | "EMBEDDING_MODEL_MISMATCH" | "EMBEDDING_MODEL_UNKNOWN" | "PDF_ENCRYPTED" | "PDF_CORRUPT" | "PDF_NO_TEXT" | "PDF_TIMEOUT" | "PARSE_FAILED" | "NO_TEXT" | "DOCX_CORRUPT" | "PPTX_CORRUPT" | "XLSX_CORRUPT" | "CSV_CORRUPT" | "ODF_CORRUPT" | "EPUB_CORRUPT" | "EML_CORRUPT" | "IMAGE_CORRUPT" | "OFFICE_ENCRYPTED" | "ARCHIVE_TOO_LARGE" | "SPREADSHEET_TOO_LARGE" | "IMAGE_TOO_LARGE" | "PARSE_TIMEOUT" | "OCR_FAILED" | "OCR_TIMEOUT" | "PROVIDER_ERROR" | "PROVIDER_RATE_LIMITED" | "PROVIDER_TIMEOUT" | "PROVIDER_BAD_OUTPUT" | "PROVIDER_QUOTA_EXCEEDED" | "CIRCUIT_OPEN" | "QUEUE_UNAVAILABLE" | "OVERLOADED" | "STORE_UNAVAILABLE" | "SHUTTING_DOWN" | "CONFIG_INVALID" | "INTERNAL" | "INDEX_UNAVAILABLE" | "INDEX_UNSUPPORTED" | "WEBHOOK_TARGET_FORBIDDEN" | "SOURCE_NOT_FOUND" | "SOURCE_URL_INVALID" | "SCHEDULE_INVALID" | "SOURCE_URL_FORBIDDEN" | "PROVIDER_OUTPUT_TRUNCATED";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `BAD_REQUEST`, `INVALID_JSON`, `SCHEDULE_INVALID`, `SOURCE_URL_INVALID`, `VALIDATION_FAILED` */
        Error_BAD_REQUEST_INVALID_JSON_SCHEDULE_INVALID_SOURCE_URL_INVALID_VALIDATION_FAILED: {
            error: {
                /** @enum {string} */
                code: "BAD_REQUEST" | "INVALID_JSON" | "SCHEDULE_INVALID" | "SOURCE_URL_INVALID" | "VALIDATION_FAILED";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `BAD_REQUEST`, `INVALID_JSON`, `SCHEDULE_INVALID`, `SOURCE_URL_INVALID`, `VALIDATION_FAILED` */
        Error_BAD_REQUEST_INVALID_JSON_SCHEDULE_INVALID_SOURCE_URL_INVALID_VALIDATION_FAILEDInput: {
            error: {
                /** @enum {string} */
                code: "BAD_REQUEST" | "INVALID_JSON" | "SCHEDULE_INVALID" | "SOURCE_URL_INVALID" | "VALIDATION_FAILED";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `BAD_REQUEST`, `INVALID_JSON`, `VALIDATION_FAILED` */
        Error_BAD_REQUEST_INVALID_JSON_VALIDATION_FAILED: {
            error: {
                /** @enum {string} */
                code: "BAD_REQUEST" | "INVALID_JSON" | "VALIDATION_FAILED";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `BAD_REQUEST`, `INVALID_JSON`, `VALIDATION_FAILED` */
        Error_BAD_REQUEST_INVALID_JSON_VALIDATION_FAILEDInput: {
            error: {
                /** @enum {string} */
                code: "BAD_REQUEST" | "INVALID_JSON" | "VALIDATION_FAILED";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `BAD_REQUEST`, `VALIDATION_FAILED` */
        Error_BAD_REQUEST_VALIDATION_FAILED: {
            error: {
                /** @enum {string} */
                code: "BAD_REQUEST" | "VALIDATION_FAILED";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `BAD_REQUEST`, `VALIDATION_FAILED` */
        Error_BAD_REQUEST_VALIDATION_FAILEDInput: {
            error: {
                /** @enum {string} */
                code: "BAD_REQUEST" | "VALIDATION_FAILED";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `BUDGET_EXCEEDED`, `PAYLOAD_TOO_LARGE` */
        Error_BUDGET_EXCEEDED_PAYLOAD_TOO_LARGE: {
            error: {
                /** @enum {string} */
                code: "BUDGET_EXCEEDED" | "PAYLOAD_TOO_LARGE";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `BUDGET_EXCEEDED`, `PAYLOAD_TOO_LARGE` */
        Error_BUDGET_EXCEEDED_PAYLOAD_TOO_LARGEInput: {
            error: {
                /** @enum {string} */
                code: "BUDGET_EXCEEDED" | "PAYLOAD_TOO_LARGE";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `BUDGET_EXCEEDED`, `RATE_LIMITED` */
        Error_BUDGET_EXCEEDED_RATE_LIMITED: {
            error: {
                /** @enum {string} */
                code: "BUDGET_EXCEEDED" | "RATE_LIMITED";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `BUDGET_EXCEEDED`, `RATE_LIMITED` */
        Error_BUDGET_EXCEEDED_RATE_LIMITEDInput: {
            error: {
                /** @enum {string} */
                code: "BUDGET_EXCEEDED" | "RATE_LIMITED";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `BUILD_NOT_FOUND` */
        Error_BUILD_NOT_FOUND: {
            error: {
                /** @enum {string} */
                code: "BUILD_NOT_FOUND";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `BUILD_NOT_FOUND` */
        Error_BUILD_NOT_FOUNDInput: {
            error: {
                /** @enum {string} */
                code: "BUILD_NOT_FOUND";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `BUILD_NOT_PROMOTABLE`, `IDEMPOTENCY_IN_PROGRESS` */
        Error_BUILD_NOT_PROMOTABLE_IDEMPOTENCY_IN_PROGRESS: {
            error: {
                /** @enum {string} */
                code: "BUILD_NOT_PROMOTABLE" | "IDEMPOTENCY_IN_PROGRESS";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `BUILD_NOT_PROMOTABLE`, `IDEMPOTENCY_IN_PROGRESS` */
        Error_BUILD_NOT_PROMOTABLE_IDEMPOTENCY_IN_PROGRESSInput: {
            error: {
                /** @enum {string} */
                code: "BUILD_NOT_PROMOTABLE" | "IDEMPOTENCY_IN_PROGRESS";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `CANARY_NOT_FOUND`, `CORPUS_NOT_FOUND` */
        Error_CANARY_NOT_FOUND_CORPUS_NOT_FOUND: {
            error: {
                /** @enum {string} */
                code: "CANARY_NOT_FOUND" | "CORPUS_NOT_FOUND";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `CANARY_NOT_FOUND`, `CORPUS_NOT_FOUND` */
        Error_CANARY_NOT_FOUND_CORPUS_NOT_FOUNDInput: {
            error: {
                /** @enum {string} */
                code: "CANARY_NOT_FOUND" | "CORPUS_NOT_FOUND";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `CIRCUIT_OPEN`, `INDEX_UNAVAILABLE`, `INDEX_UNSUPPORTED`, `OVERLOADED`, `PROVIDER_QUOTA_EXCEEDED`, `PROVIDER_RATE_LIMITED`, `SHUTTING_DOWN`, `STORE_UNAVAILABLE` */
        Error_CIRCUIT_OPEN_INDEX_UNAVAILABLE_INDEX_UNSUPPORTED_OVERLOADED_PROVIDER_QUOTA_EXCEEDED_PROVIDER_RATE_LIMITED_SHUTTING_DOWN_STORE_UNAVAILABLE: {
            error: {
                /** @enum {string} */
                code: "CIRCUIT_OPEN" | "INDEX_UNAVAILABLE" | "INDEX_UNSUPPORTED" | "OVERLOADED" | "PROVIDER_QUOTA_EXCEEDED" | "PROVIDER_RATE_LIMITED" | "SHUTTING_DOWN" | "STORE_UNAVAILABLE";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `CIRCUIT_OPEN`, `INDEX_UNAVAILABLE`, `INDEX_UNSUPPORTED`, `OVERLOADED`, `PROVIDER_QUOTA_EXCEEDED`, `PROVIDER_RATE_LIMITED`, `SHUTTING_DOWN`, `STORE_UNAVAILABLE` */
        Error_CIRCUIT_OPEN_INDEX_UNAVAILABLE_INDEX_UNSUPPORTED_OVERLOADED_PROVIDER_QUOTA_EXCEEDED_PROVIDER_RATE_LIMITED_SHUTTING_DOWN_STORE_UNAVAILABLEInput: {
            error: {
                /** @enum {string} */
                code: "CIRCUIT_OPEN" | "INDEX_UNAVAILABLE" | "INDEX_UNSUPPORTED" | "OVERLOADED" | "PROVIDER_QUOTA_EXCEEDED" | "PROVIDER_RATE_LIMITED" | "SHUTTING_DOWN" | "STORE_UNAVAILABLE";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `CIRCUIT_OPEN`, `INDEX_UNAVAILABLE`, `INDEX_UNSUPPORTED`, `PROVIDER_QUOTA_EXCEEDED`, `PROVIDER_RATE_LIMITED`, `STORE_UNAVAILABLE` */
        Error_CIRCUIT_OPEN_INDEX_UNAVAILABLE_INDEX_UNSUPPORTED_PROVIDER_QUOTA_EXCEEDED_PROVIDER_RATE_LIMITED_STORE_UNAVAILABLE: {
            error: {
                /** @enum {string} */
                code: "CIRCUIT_OPEN" | "INDEX_UNAVAILABLE" | "INDEX_UNSUPPORTED" | "PROVIDER_QUOTA_EXCEEDED" | "PROVIDER_RATE_LIMITED" | "STORE_UNAVAILABLE";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `CIRCUIT_OPEN`, `INDEX_UNAVAILABLE`, `INDEX_UNSUPPORTED`, `PROVIDER_QUOTA_EXCEEDED`, `PROVIDER_RATE_LIMITED`, `STORE_UNAVAILABLE` */
        Error_CIRCUIT_OPEN_INDEX_UNAVAILABLE_INDEX_UNSUPPORTED_PROVIDER_QUOTA_EXCEEDED_PROVIDER_RATE_LIMITED_STORE_UNAVAILABLEInput: {
            error: {
                /** @enum {string} */
                code: "CIRCUIT_OPEN" | "INDEX_UNAVAILABLE" | "INDEX_UNSUPPORTED" | "PROVIDER_QUOTA_EXCEEDED" | "PROVIDER_RATE_LIMITED" | "STORE_UNAVAILABLE";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `CONFLICT`, `IDEMPOTENCY_IN_PROGRESS` */
        Error_CONFLICT_IDEMPOTENCY_IN_PROGRESS: {
            error: {
                /** @enum {string} */
                code: "CONFLICT" | "IDEMPOTENCY_IN_PROGRESS";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `CONFLICT`, `IDEMPOTENCY_IN_PROGRESS` */
        Error_CONFLICT_IDEMPOTENCY_IN_PROGRESSInput: {
            error: {
                /** @enum {string} */
                code: "CONFLICT" | "IDEMPOTENCY_IN_PROGRESS";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `CONVERSATION_BUSY`, `IDEMPOTENCY_IN_PROGRESS` */
        Error_CONVERSATION_BUSY_IDEMPOTENCY_IN_PROGRESS: {
            error: {
                /** @enum {string} */
                code: "CONVERSATION_BUSY" | "IDEMPOTENCY_IN_PROGRESS";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `CONVERSATION_BUSY`, `IDEMPOTENCY_IN_PROGRESS` */
        Error_CONVERSATION_BUSY_IDEMPOTENCY_IN_PROGRESSInput: {
            error: {
                /** @enum {string} */
                code: "CONVERSATION_BUSY" | "IDEMPOTENCY_IN_PROGRESS";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `CONVERSATION_NOT_FOUND` */
        Error_CONVERSATION_NOT_FOUND: {
            error: {
                /** @enum {string} */
                code: "CONVERSATION_NOT_FOUND";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `CONVERSATION_NOT_FOUND` */
        Error_CONVERSATION_NOT_FOUNDInput: {
            error: {
                /** @enum {string} */
                code: "CONVERSATION_NOT_FOUND";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `CORPUS_EXISTS`, `IDEMPOTENCY_IN_PROGRESS` */
        Error_CORPUS_EXISTS_IDEMPOTENCY_IN_PROGRESS: {
            error: {
                /** @enum {string} */
                code: "CORPUS_EXISTS" | "IDEMPOTENCY_IN_PROGRESS";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `CORPUS_EXISTS`, `IDEMPOTENCY_IN_PROGRESS` */
        Error_CORPUS_EXISTS_IDEMPOTENCY_IN_PROGRESSInput: {
            error: {
                /** @enum {string} */
                code: "CORPUS_EXISTS" | "IDEMPOTENCY_IN_PROGRESS";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `CORPUS_NOT_FOUND` */
        Error_CORPUS_NOT_FOUND: {
            error: {
                /** @enum {string} */
                code: "CORPUS_NOT_FOUND";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `CORPUS_NOT_FOUND` */
        Error_CORPUS_NOT_FOUNDInput: {
            error: {
                /** @enum {string} */
                code: "CORPUS_NOT_FOUND";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `DOCUMENT_NOT_FOUND` */
        Error_DOCUMENT_NOT_FOUND: {
            error: {
                /** @enum {string} */
                code: "DOCUMENT_NOT_FOUND";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `DOCUMENT_NOT_FOUND` */
        Error_DOCUMENT_NOT_FOUNDInput: {
            error: {
                /** @enum {string} */
                code: "DOCUMENT_NOT_FOUND";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `EMBEDDING_MODEL_UNKNOWN`, `IDEMPOTENCY_KEY_REUSED` */
        Error_EMBEDDING_MODEL_UNKNOWN_IDEMPOTENCY_KEY_REUSED: {
            error: {
                /** @enum {string} */
                code: "EMBEDDING_MODEL_UNKNOWN" | "IDEMPOTENCY_KEY_REUSED";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `EMBEDDING_MODEL_UNKNOWN`, `IDEMPOTENCY_KEY_REUSED` */
        Error_EMBEDDING_MODEL_UNKNOWN_IDEMPOTENCY_KEY_REUSEDInput: {
            error: {
                /** @enum {string} */
                code: "EMBEDDING_MODEL_UNKNOWN" | "IDEMPOTENCY_KEY_REUSED";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `EMPTY_FILE`, `IDEMPOTENCY_KEY_REUSED`, `OFFICE_ENCRYPTED` */
        Error_EMPTY_FILE_IDEMPOTENCY_KEY_REUSED_OFFICE_ENCRYPTED: {
            error: {
                /** @enum {string} */
                code: "EMPTY_FILE" | "IDEMPOTENCY_KEY_REUSED" | "OFFICE_ENCRYPTED";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `EMPTY_FILE`, `IDEMPOTENCY_KEY_REUSED`, `OFFICE_ENCRYPTED` */
        Error_EMPTY_FILE_IDEMPOTENCY_KEY_REUSED_OFFICE_ENCRYPTEDInput: {
            error: {
                /** @enum {string} */
                code: "EMPTY_FILE" | "IDEMPOTENCY_KEY_REUSED" | "OFFICE_ENCRYPTED";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `FORBIDDEN` */
        Error_FORBIDDEN: {
            error: {
                /** @enum {string} */
                code: "FORBIDDEN";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `FORBIDDEN` */
        Error_FORBIDDENInput: {
            error: {
                /** @enum {string} */
                code: "FORBIDDEN";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `IDEMPOTENCY_IN_PROGRESS` */
        Error_IDEMPOTENCY_IN_PROGRESS: {
            error: {
                /** @enum {string} */
                code: "IDEMPOTENCY_IN_PROGRESS";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `IDEMPOTENCY_IN_PROGRESS` */
        Error_IDEMPOTENCY_IN_PROGRESSInput: {
            error: {
                /** @enum {string} */
                code: "IDEMPOTENCY_IN_PROGRESS";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `IDEMPOTENCY_KEY_REUSED` */
        Error_IDEMPOTENCY_KEY_REUSED: {
            error: {
                /** @enum {string} */
                code: "IDEMPOTENCY_KEY_REUSED";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `IDEMPOTENCY_KEY_REUSED` */
        Error_IDEMPOTENCY_KEY_REUSEDInput: {
            error: {
                /** @enum {string} */
                code: "IDEMPOTENCY_KEY_REUSED";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `INTERNAL` */
        Error_INTERNAL: {
            error: {
                /** @enum {string} */
                code: "INTERNAL";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `INTERNAL` */
        Error_INTERNALInput: {
            error: {
                /** @enum {string} */
                code: "INTERNAL";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `JOB_NOT_FOUND` */
        Error_JOB_NOT_FOUND: {
            error: {
                /** @enum {string} */
                code: "JOB_NOT_FOUND";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `JOB_NOT_FOUND` */
        Error_JOB_NOT_FOUNDInput: {
            error: {
                /** @enum {string} */
                code: "JOB_NOT_FOUND";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `KEY_NOT_FOUND` */
        Error_KEY_NOT_FOUND: {
            error: {
                /** @enum {string} */
                code: "KEY_NOT_FOUND";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `KEY_NOT_FOUND` */
        Error_KEY_NOT_FOUNDInput: {
            error: {
                /** @enum {string} */
                code: "KEY_NOT_FOUND";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `METHOD_NOT_ALLOWED` */
        Error_METHOD_NOT_ALLOWED: {
            error: {
                /** @enum {string} */
                code: "METHOD_NOT_ALLOWED";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `METHOD_NOT_ALLOWED` */
        Error_METHOD_NOT_ALLOWEDInput: {
            error: {
                /** @enum {string} */
                code: "METHOD_NOT_ALLOWED";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `NOT_ACCEPTABLE` */
        Error_NOT_ACCEPTABLE: {
            error: {
                /** @enum {string} */
                code: "NOT_ACCEPTABLE";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `NOT_ACCEPTABLE` */
        Error_NOT_ACCEPTABLEInput: {
            error: {
                /** @enum {string} */
                code: "NOT_ACCEPTABLE";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `NOT_FOUND` */
        Error_NOT_FOUND: {
            error: {
                /** @enum {string} */
                code: "NOT_FOUND";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `NOT_FOUND` */
        Error_NOT_FOUNDInput: {
            error: {
                /** @enum {string} */
                code: "NOT_FOUND";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `OVERLOADED`, `QUEUE_UNAVAILABLE`, `STORE_UNAVAILABLE` */
        Error_OVERLOADED_QUEUE_UNAVAILABLE_STORE_UNAVAILABLE: {
            error: {
                /** @enum {string} */
                code: "OVERLOADED" | "QUEUE_UNAVAILABLE" | "STORE_UNAVAILABLE";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `OVERLOADED`, `QUEUE_UNAVAILABLE`, `STORE_UNAVAILABLE` */
        Error_OVERLOADED_QUEUE_UNAVAILABLE_STORE_UNAVAILABLEInput: {
            error: {
                /** @enum {string} */
                code: "OVERLOADED" | "QUEUE_UNAVAILABLE" | "STORE_UNAVAILABLE";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `PAYLOAD_TOO_LARGE` */
        Error_PAYLOAD_TOO_LARGE: {
            error: {
                /** @enum {string} */
                code: "PAYLOAD_TOO_LARGE";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `PAYLOAD_TOO_LARGE` */
        Error_PAYLOAD_TOO_LARGEInput: {
            error: {
                /** @enum {string} */
                code: "PAYLOAD_TOO_LARGE";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `PROVIDER_BAD_OUTPUT`, `PROVIDER_ERROR` */
        Error_PROVIDER_BAD_OUTPUT_PROVIDER_ERROR: {
            error: {
                /** @enum {string} */
                code: "PROVIDER_BAD_OUTPUT" | "PROVIDER_ERROR";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `PROVIDER_BAD_OUTPUT`, `PROVIDER_ERROR`, `PROVIDER_OUTPUT_TRUNCATED` */
        Error_PROVIDER_BAD_OUTPUT_PROVIDER_ERROR_PROVIDER_OUTPUT_TRUNCATED: {
            error: {
                /** @enum {string} */
                code: "PROVIDER_BAD_OUTPUT" | "PROVIDER_ERROR" | "PROVIDER_OUTPUT_TRUNCATED";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `PROVIDER_BAD_OUTPUT`, `PROVIDER_ERROR`, `PROVIDER_OUTPUT_TRUNCATED` */
        Error_PROVIDER_BAD_OUTPUT_PROVIDER_ERROR_PROVIDER_OUTPUT_TRUNCATEDInput: {
            error: {
                /** @enum {string} */
                code: "PROVIDER_BAD_OUTPUT" | "PROVIDER_ERROR" | "PROVIDER_OUTPUT_TRUNCATED";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `PROVIDER_BAD_OUTPUT`, `PROVIDER_ERROR` */
        Error_PROVIDER_BAD_OUTPUT_PROVIDER_ERRORInput: {
            error: {
                /** @enum {string} */
                code: "PROVIDER_BAD_OUTPUT" | "PROVIDER_ERROR";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `PROVIDER_TIMEOUT` */
        Error_PROVIDER_TIMEOUT: {
            error: {
                /** @enum {string} */
                code: "PROVIDER_TIMEOUT";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `PROVIDER_TIMEOUT` */
        Error_PROVIDER_TIMEOUTInput: {
            error: {
                /** @enum {string} */
                code: "PROVIDER_TIMEOUT";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `QUEUE_UNAVAILABLE`, `STORE_UNAVAILABLE` */
        Error_QUEUE_UNAVAILABLE_STORE_UNAVAILABLE: {
            error: {
                /** @enum {string} */
                code: "QUEUE_UNAVAILABLE" | "STORE_UNAVAILABLE";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `QUEUE_UNAVAILABLE`, `STORE_UNAVAILABLE` */
        Error_QUEUE_UNAVAILABLE_STORE_UNAVAILABLEInput: {
            error: {
                /** @enum {string} */
                code: "QUEUE_UNAVAILABLE" | "STORE_UNAVAILABLE";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `RATE_LIMITED` */
        Error_RATE_LIMITED: {
            error: {
                /** @enum {string} */
                code: "RATE_LIMITED";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `RATE_LIMITED` */
        Error_RATE_LIMITEDInput: {
            error: {
                /** @enum {string} */
                code: "RATE_LIMITED";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `SOURCE_NOT_FOUND` */
        Error_SOURCE_NOT_FOUND: {
            error: {
                /** @enum {string} */
                code: "SOURCE_NOT_FOUND";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `SOURCE_NOT_FOUND` */
        Error_SOURCE_NOT_FOUNDInput: {
            error: {
                /** @enum {string} */
                code: "SOURCE_NOT_FOUND";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `SOURCE_URL_FORBIDDEN` */
        Error_SOURCE_URL_FORBIDDEN: {
            error: {
                /** @enum {string} */
                code: "SOURCE_URL_FORBIDDEN";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `SOURCE_URL_FORBIDDEN` */
        Error_SOURCE_URL_FORBIDDENInput: {
            error: {
                /** @enum {string} */
                code: "SOURCE_URL_FORBIDDEN";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `STORE_UNAVAILABLE` */
        Error_STORE_UNAVAILABLE: {
            error: {
                /** @enum {string} */
                code: "STORE_UNAVAILABLE";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `STORE_UNAVAILABLE` */
        Error_STORE_UNAVAILABLEInput: {
            error: {
                /** @enum {string} */
                code: "STORE_UNAVAILABLE";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `TENANT_NOT_FOUND` */
        Error_TENANT_NOT_FOUND: {
            error: {
                /** @enum {string} */
                code: "TENANT_NOT_FOUND";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `TENANT_NOT_FOUND` */
        Error_TENANT_NOT_FOUNDInput: {
            error: {
                /** @enum {string} */
                code: "TENANT_NOT_FOUND";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `TRACE_NOT_FOUND` */
        Error_TRACE_NOT_FOUND: {
            error: {
                /** @enum {string} */
                code: "TRACE_NOT_FOUND";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `TRACE_NOT_FOUND` */
        Error_TRACE_NOT_FOUNDInput: {
            error: {
                /** @enum {string} */
                code: "TRACE_NOT_FOUND";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `UNAUTHORIZED` */
        Error_UNAUTHORIZED: {
            error: {
                /** @enum {string} */
                code: "UNAUTHORIZED";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `UNAUTHORIZED` */
        Error_UNAUTHORIZEDInput: {
            error: {
                /** @enum {string} */
                code: "UNAUTHORIZED";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `UNSUPPORTED_MEDIA_TYPE` */
        Error_UNSUPPORTED_MEDIA_TYPE: {
            error: {
                /** @enum {string} */
                code: "UNSUPPORTED_MEDIA_TYPE";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `UNSUPPORTED_MEDIA_TYPE` */
        Error_UNSUPPORTED_MEDIA_TYPEInput: {
            error: {
                /** @enum {string} */
                code: "UNSUPPORTED_MEDIA_TYPE";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `VALIDATION_FAILED` */
        Error_VALIDATION_FAILED: {
            error: {
                /** @enum {string} */
                code: "VALIDATION_FAILED";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `VALIDATION_FAILED` */
        Error_VALIDATION_FAILEDInput: {
            error: {
                /** @enum {string} */
                code: "VALIDATION_FAILED";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `WEBHOOK_TARGET_FORBIDDEN` */
        Error_WEBHOOK_TARGET_FORBIDDEN: {
            error: {
                /** @enum {string} */
                code: "WEBHOOK_TARGET_FORBIDDEN";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description Error: `WEBHOOK_TARGET_FORBIDDEN` */
        Error_WEBHOOK_TARGET_FORBIDDENInput: {
            error: {
                /** @enum {string} */
                code: "WEBHOOK_TARGET_FORBIDDEN";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        ErrorInput: {
            error: {
                /**
                 * @description Stable error code; see the catalogue in the API description
                 * @enum {string}
                 */
                code: "BAD_REQUEST" | "VALIDATION_FAILED" | "INVALID_JSON" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "ROUTE_NOT_FOUND" | "METHOD_NOT_ALLOWED" | "NOT_ACCEPTABLE" | "CORPUS_NOT_FOUND" | "DOCUMENT_NOT_FOUND" | "JOB_NOT_FOUND" | "BUILD_NOT_FOUND" | "TRACE_NOT_FOUND" | "CANARY_NOT_FOUND" | "TENANT_NOT_FOUND" | "KEY_NOT_FOUND" | "CONVERSATION_NOT_FOUND" | "CONFLICT" | "CORPUS_EXISTS" | "IDEMPOTENCY_IN_PROGRESS" | "CONVERSATION_BUSY" | "BUILD_NOT_PROMOTABLE" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "EMPTY_FILE" | "IDEMPOTENCY_KEY_REUSED" | "BUDGET_EXCEEDED" | "RATE_LIMITED" | "EMBEDDING_MODEL_MISMATCH" | "EMBEDDING_MODEL_UNKNOWN" | "PDF_ENCRYPTED" | "PDF_CORRUPT" | "PDF_NO_TEXT" | "PDF_TIMEOUT" | "PARSE_FAILED" | "NO_TEXT" | "DOCX_CORRUPT" | "PPTX_CORRUPT" | "XLSX_CORRUPT" | "CSV_CORRUPT" | "ODF_CORRUPT" | "EPUB_CORRUPT" | "EML_CORRUPT" | "IMAGE_CORRUPT" | "OFFICE_ENCRYPTED" | "ARCHIVE_TOO_LARGE" | "SPREADSHEET_TOO_LARGE" | "IMAGE_TOO_LARGE" | "PARSE_TIMEOUT" | "OCR_FAILED" | "OCR_TIMEOUT" | "PROVIDER_ERROR" | "PROVIDER_RATE_LIMITED" | "PROVIDER_TIMEOUT" | "PROVIDER_BAD_OUTPUT" | "PROVIDER_QUOTA_EXCEEDED" | "CIRCUIT_OPEN" | "QUEUE_UNAVAILABLE" | "OVERLOADED" | "STORE_UNAVAILABLE" | "SHUTTING_DOWN" | "CONFIG_INVALID" | "INTERNAL" | "INDEX_UNAVAILABLE" | "INDEX_UNSUPPORTED" | "WEBHOOK_TARGET_FORBIDDEN" | "SOURCE_NOT_FOUND" | "SOURCE_URL_INVALID" | "SCHEDULE_INVALID" | "SOURCE_URL_FORBIDDEN" | "PROVIDER_OUTPUT_TRUNCATED";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            } & {
                [key: string]: unknown;
            };
        };
        Job: {
            attempts: number;
            /** @description ISO 8601 timestamp */
            createdAt: string;
            error?: {
                code: string;
                message: string;
            } & {
                [key: string]: unknown;
            };
            id: string;
            name: string;
            progress: {
                done: number;
                stage: string;
                total: number;
            } & {
                [key: string]: unknown;
            };
            result?: unknown;
            state: ("waiting" | "active" | "completed" | "failed" | "delayed" | "queued" | "cancelled") | string;
            /** @description ISO 8601 timestamp */
            updatedAt: string;
        } & {
            [key: string]: unknown;
        };
        JobInput: {
            attempts: number;
            /** @description ISO 8601 timestamp */
            createdAt: string;
            error?: {
                code: string;
                message: string;
            } & {
                [key: string]: unknown;
            };
            id: string;
            name: string;
            progress: {
                done: number;
                stage: string;
                total: number;
            } & {
                [key: string]: unknown;
            };
            result?: unknown;
            state: ("waiting" | "active" | "completed" | "failed" | "delayed" | "queued" | "cancelled") | string;
            /** @description ISO 8601 timestamp */
            updatedAt: string;
        } & {
            [key: string]: unknown;
        };
        SearchResponse: {
            buildId: string | null;
            empty: boolean;
            query: string;
            reason?: string;
            results: components["schemas"]["SearchResult"][];
            timings: {
                [key: string]: number;
            };
        } & {
            [key: string]: unknown;
        };
        SearchResponseInput: {
            buildId: string | null;
            empty: boolean;
            query: string;
            reason?: string;
            results: components["schemas"]["SearchResultInput"][];
            timings: {
                [key: string]: number;
            };
        } & {
            [key: string]: unknown;
        };
        SearchResult: {
            chunkId: string;
            documentId: string;
            end: number;
            /** @description Section headings above the text (non-paginated sources) */
            headingPath?: string[] | null;
            /** @description Present when the text came from OCR of a scanned page or image */
            ocr?: {
                /** @description OCR's mean word confidence on the pages the text lies on (lowest of them), 0-100 */
                confidence: number;
            } & {
                [key: string]: unknown;
            };
            /** @description Page where the text starts (paginated sources) */
            page: number | null;
            /** @description Page where it ends */
            pageEnd?: number | null;
            ranks?: {
                [key: string]: unknown;
            };
            score: number;
            scores?: {
                [key: string]: unknown;
            };
            /** @description Character offset in the version's normalized text */
            start: number;
            text: string;
            title: string;
            versionId: string;
        } & {
            [key: string]: unknown;
        };
        SearchResultInput: {
            chunkId: string;
            documentId: string;
            end: number;
            /** @description Section headings above the text (non-paginated sources) */
            headingPath?: string[] | null;
            /** @description Present when the text came from OCR of a scanned page or image */
            ocr?: {
                /** @description OCR's mean word confidence on the pages the text lies on (lowest of them), 0-100 */
                confidence: number;
            } & {
                [key: string]: unknown;
            };
            /** @description Page where the text starts (paginated sources) */
            page: number | null;
            /** @description Page where it ends */
            pageEnd?: number | null;
            ranks?: {
                [key: string]: unknown;
            };
            score: number;
            scores?: {
                [key: string]: unknown;
            };
            /** @description Character offset in the version's normalized text */
            start: number;
            text: string;
            title: string;
            versionId: string;
        } & {
            [key: string]: unknown;
        };
        Source: {
            corpusId: string;
            /** @description ISO 8601 timestamp */
            createdAt: string;
            exclude: string[];
            id: string;
            include: string[];
            lastSync: components["schemas"]["SourceSync"] | null;
            /** @description Pages the source holds documents for */
            pages: number;
            schedule: string | null;
            /** @constant */
            type: "sitemap";
            url: string;
        } & {
            [key: string]: unknown;
        };
        SourceInput: {
            corpusId: string;
            /** @description ISO 8601 timestamp */
            createdAt: string;
            exclude: string[];
            id: string;
            include: string[];
            lastSync: components["schemas"]["SourceSyncInput"] | null;
            /** @description Pages the source holds documents for */
            pages: number;
            schedule: string | null;
            /** @constant */
            type: "sitemap";
            url: string;
        } & {
            [key: string]: unknown;
        };
        SourceSync: {
            counts: {
                added: number;
                deleted: number;
                failed: number;
                fetched: number;
                found: number;
                skipped: number;
                unchanged: number;
                updated: number;
            } & {
                [key: string]: unknown;
            };
            /** @description ISO 8601 timestamp */
            createdAt: string;
            /** @description Why the whole sync failed (robots.txt or sitemap unreadable) */
            error: ({
                code: string;
                message: string;
            } & {
                [key: string]: unknown;
            }) | null;
            /** @description Per-page errors and skips (the first 200) */
            errors: ({
                code: string;
                message: string;
                status?: number;
                url: string;
            } & {
                [key: string]: unknown;
            })[];
            finishedAt: string | null;
            id: string;
            jobId: string | null;
            startedAt: string | null;
            status: ("queued" | "running" | "completed" | "failed") | string;
            trigger: ("create" | "manual" | "schedule") | string;
        } & {
            [key: string]: unknown;
        };
        SourceSyncInput: {
            counts: {
                added: number;
                deleted: number;
                failed: number;
                fetched: number;
                found: number;
                skipped: number;
                unchanged: number;
                updated: number;
            } & {
                [key: string]: unknown;
            };
            /** @description ISO 8601 timestamp */
            createdAt: string;
            /** @description Why the whole sync failed (robots.txt or sitemap unreadable) */
            error: ({
                code: string;
                message: string;
            } & {
                [key: string]: unknown;
            }) | null;
            /** @description Per-page errors and skips (the first 200) */
            errors: ({
                code: string;
                message: string;
                status?: number;
                url: string;
            } & {
                [key: string]: unknown;
            })[];
            finishedAt: string | null;
            id: string;
            jobId: string | null;
            startedAt: string | null;
            status: ("queued" | "running" | "completed" | "failed") | string;
            trigger: ("create" | "manual" | "schedule") | string;
        } & {
            [key: string]: unknown;
        };
        Tenant: {
            /** @description ISO 8601 timestamp */
            createdAt: string;
            id: string;
            limits: {
                [key: string]: number;
            };
            name: string;
        } & {
            [key: string]: unknown;
        };
        TenantInput: {
            /** @description ISO 8601 timestamp */
            createdAt: string;
            id: string;
            limits: {
                [key: string]: number;
            };
            name: string;
        } & {
            [key: string]: unknown;
        };
        UploadResult: {
            deduplicated: boolean;
            documentId: string;
            jobId: string | null;
            status: string;
            versionId: string;
        } & {
            [key: string]: unknown;
        };
        UploadResultInput: {
            deduplicated: boolean;
            documentId: string;
            jobId: string | null;
            status: string;
            versionId: string;
        } & {
            [key: string]: unknown;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
