export interface paths {
    "/stores": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List stores
         * @description Lists stores, sorted by name unless `sort` says otherwise, one page at a time.
         *     With `include=items`, each store embeds its first items by name (at most 20) and, when it has more,
         *     `itemsNext`: the URL of the next page of that store's items in `GET /items`. This gives the whole
         *     catalogue shape, `{"stores":[{"name":...,"items":[{"name":...,"price":...}]}]}`, in one request.
         */
        get: operations["listStores"];
        put?: never;
        /**
         * Create a store
         * @description Creates a store. Store names are unique across the API; a taken name is answered with 409.
         *
         *     Needs a signed-in user, who becomes the store's owner.
         */
        post: operations["createStore"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/stores/{storeId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a store
         * @description Returns one store. With `include=items` it embeds the store's first items by name, as in `listStores`.
         */
        get: operations["getStore"];
        put?: never;
        post?: never;
        /**
         * Delete a store
         * @description Deletes a store **together with all of its items and tags** (and every tag link between them), in one
         *     transaction. This cannot be undone.
         *
         *     Only the store's owner or an admin may do this; anyone else gets 403 and nothing changes.
         */
        delete: operations["deleteStore"];
        options?: never;
        head?: never;
        /**
         * Update a store
         * @description Changes a store with a JSON Merge Patch (RFC 7396). A name taken by another store is answered with 409.
         *
         *     Only the store's owner or an admin may do this; anyone else gets 403 and nothing changes.
         */
        patch: operations["updateStore"];
        trace?: never;
    };
    "/items": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List items
         * @description The single way to list items, across all stores or filtered. Filters combine with AND: `storeId`,
         *     `tagId` (items carrying that tag), `minPrice` and `maxPrice` (inclusive) and `q` (a substring of the name,
         *     ignoring the case of A to Z). `sort` orders the page; ties are broken by id, so paging is stable.
         *     Every page costs about the same however many items there are. `storeId`, `tagId`, and
         *     `minPrice`/`maxPrice` with `sort=price` or `-price`, are ranges of an index in the sort order. A price
         *     range under another sort, and `q`, are looked up in their own indexes when they match at most 1,000
         *     items; otherwise the page reads at most 1,000 items in the sort order from the cursor on, and may then
         *     hold fewer than `limit` items, or none, while `next` continues after the last item read.
         */
        get: operations["listItems"];
        put?: never;
        /**
         * Create an item
         * @description Creates an item in the store named by `storeId`. A `storeId` that names no store is answered with
         *     **422** (the request is well formed, but it refers to something that does not exist). Item names are
         *     unique within a store; a taken name is answered with 409.
         *
         *     Only the store's owner or an admin may do this; anyone else gets 403 and nothing changes.
         */
        post: operations["createItem"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/items/{itemId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get an item
         * @description Returns one item with its tags.
         */
        get: operations["getItem"];
        /**
         * Replace an item
         * @description Replaces the item's writable fields with the body: a field left out takes its default (an omitted
         *     `description` becomes `null`). The store an item belongs to never changes, and its tags are kept.
         *     Sending the same body twice leaves the same state. A name taken by another item of the same store is
         *     answered with 409.
         *
         *     Only the owner of the item's store or an admin may do this; anyone else gets 403 and nothing changes.
         */
        put: operations["replaceItem"];
        post?: never;
        /**
         * Delete an item
         * @description Deletes an item and its tag links. The tags themselves stay.
         *
         *     Only the owner of the item's store or an admin may do this; anyone else gets 403 and nothing changes.
         */
        delete: operations["deleteItem"];
        options?: never;
        head?: never;
        /**
         * Update an item
         * @description Changes an item with a JSON Merge Patch (RFC 7396): send only what changes; `"description": null`
         *     removes the description. A name taken by another item of the same store is answered with 409.
         *
         *     Only the owner of the item's store or an admin may do this; anyone else gets 403 and nothing changes.
         */
        patch: operations["updateItem"];
        trace?: never;
    };
    "/items/{itemId}/tags/{tagId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Put a tag on an item
         * @description Links the tag to the item. Idempotent: linking a tag the item already carries changes nothing and
         *     answers the same. The tag must belong to the item's store; a tag of another store is answered with 422,
         *     as is a 101st tag (an item carries at most 100).
         *
         *     Only the owner of the item's store or an admin may do this; anyone else gets 403 and nothing changes.
         */
        put: operations["tagItem"];
        post?: never;
        /**
         * Take a tag off an item
         * @description Removes the link between the item and the tag. Idempotent: removing a tag the item does not carry
         *     changes nothing and answers the same. 404 means the item or the tag does not exist.
         *
         *     Only the owner of the item's store or an admin may do this; anyone else gets 403 and nothing changes.
         */
        delete: operations["untagItem"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/tags": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List tags
         * @description Lists tags sorted by name (ties broken by id), optionally of one store or matching a name substring.
         */
        get: operations["listTags"];
        put?: never;
        /**
         * Create a tag
         * @description Creates a tag in the store named by `storeId`. A `storeId` that names no store is answered with 422.
         *     Tag names are unique within a store (two stores may each have a tag `sale`); a taken name is 409.
         *
         *     Only the store's owner or an admin may do this; anyone else gets 403 and nothing changes.
         */
        post: operations["createTag"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/tags/{tagId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a tag
         * @description Returns one tag.
         */
        get: operations["getTag"];
        put?: never;
        post?: never;
        /**
         * Delete a tag
         * @description Deletes a tag. A tag that is still on items is **not** deleted: the answer is 409, so that no item
         *     loses a tag by accident. Take the tag off those items first (`DELETE /items/{itemId}/tags/{tagId}`;
         *     `GET /items?tagId=...` lists them).
         *
         *     Only the owner of the tag's store or an admin may do this; anyone else gets 403 and nothing changes.
         */
        delete: operations["deleteTag"];
        options?: never;
        head?: never;
        /**
         * Rename a tag
         * @description Changes a tag with a JSON Merge Patch (RFC 7396). Items that carry the tag show the new name at once.
         *     A name taken by another tag of the same store is answered with 409.
         *
         *     Only the owner of the tag's store or an admin may do this; anyone else gets 403 and nothing changes.
         */
        patch: operations["updateTag"];
        trace?: never;
    };
    "/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Register a user
         * @description Creates an account with an e-mail address and a password. The password is stored only as a salted,
         *     memory-hard hash (scrypt) and is never returned. An e-mail address already registered (compared without
         *     regard to case) is answered with 409. Limited to 20 requests a minute per client (429 beyond). The
         *     password must follow NIST SP 800-63B (see `Password`): a common or breached one, or one that is the
         *     e-mail address or part of it, is refused with 400 naming the rule.
         */
        post: operations["registerUser"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get the signed-in user
         * @description Returns the account the access token was issued to.
         */
        get: operations["getCurrentUser"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users/me/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Change the password
         * @description Replaces the signed-in user's password. The current password must be sent too (403 when it is wrong),
         *     so a stolen access token alone cannot take the account over; wrong current passwords count as failed
         *     sign-ins of the account (429 with `Retry-After` past the limit, as for `createToken`). The new password
         *     follows the rules of `Password` (400 naming the rule that failed). Every other sign-in of the account ends
         *     at once, on every instance; the one this request comes from stays signed in.
         */
        put: operations["changePassword"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users/{userId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a user
         * @description Returns one account. Only that user or an admin may read it; anyone else gets 403, whether or not the
         *     account exists, so the answer reveals nothing about other users.
         */
        get: operations["getUser"];
        put?: never;
        post?: never;
        /**
         * Delete a user
         * @description Deletes an account **together with the stores it owns** (and their items and tags), and revokes all its
         *     tokens. Only that user or an admin may do it; anyone else gets 403, whether or not the account exists.
         */
        delete: operations["deleteUser"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign in
         * @description Exchanges an e-mail address and password for a short-lived access token (send it as
         *     `Authorization: Bearer <accessToken>`) and a refresh token. A wrong password and an unknown address get
         *     the same answer, in about the same time. Limited to 20 requests a minute per client (429 beyond).
         *
         *     Each account is also protected on its own, from every address at once and on every instance (the count
         *     is kept in the database): after 5 failed sign-ins (`SIGN_IN_FREE_FAILURES`), each further attempt must
         *     wait twice as long as the one before (1 s, 2 s, 4 s… up to `SIGN_IN_MAX_DELAY`, 15 minutes); an attempt
         *     too early is answered 429 with `Retry-After`, without looking at the password. Unknown addresses are
         *     counted the same way, so the answers never tell whether an account exists. A successful sign-in clears
         *     the count.
         */
        post: operations["createToken"];
        /**
         * Sign out everywhere
         * @description Ends every sign-in of the signed-in user, on every device and every instance, this one included: every
         *     refresh token and every access token issued to the account so far is refused from now on. Use it after
         *     losing a device or suspecting a leaked token. Idempotent: signing out everywhere again answers 401, as the
         *     token it is sent with has ended too.
         */
        delete: operations["revokeAllTokens"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/tokens/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Refresh tokens
         * @description Exchanges a refresh token for a new access token and a new refresh token. Each refresh token works
         *     once: presenting a spent one again is treated as theft, and the whole sign-in ends (401): every refresh
         *     and access token of it is refused. Limited to 20 requests a minute per client (429 beyond).
         */
        post: operations["refreshToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/tokens/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign out
         * @description Signs out: ends the sign-in of the refresh token sent, so that every refresh token and every access
         *     token of it (the one this request carries included) is refused from now on. Revocations are stored in
         *     the database, so every instance of the API refuses those tokens at once. A refresh token of another
         *     user is left alone. Idempotent: revoking again answers the same.
         */
        post: operations["revokeToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Check that the process answers
         * @description Liveness for orchestrators. Answers 200 as long as the process can serve HTTP; never cached.
         */
        get: operations["checkLiveness"];
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
        /**
         * Check that the API can serve requests
         * @description Readiness for load balancers: 200 when the database answers, every migration has been applied and a
         *     small write commits (on SQLite, also: the file open is still the one configured, with room on its disk),
         *     503 with the reason otherwise, so that traffic goes elsewhere until it is. It turns 503 as soon as the instance starts
         *     shutting down, while requests in flight finish. Never cached.
         */
        get: operations["checkReadiness"];
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
        /**
         * @description An opaque identifier. Today it is a UUIDv7, but clients must treat it as an opaque string.
         * @example 01936d3e-7a8b-7c3d-9e4f-5a6b7c8d9e0f
         */
        Id: string;
        /**
         * Format: date-time
         * @description An RFC 3339 date-time in UTC, with millisecond precision.
         * @example 2026-11-24T10:00:00.000Z
         */
        Timestamp: string;
        /**
         * Format: double
         * @description A price as a JSON number, at least 0, with at most two decimals. Stored exactly as integer cents.
         * @example 15.99
         */
        Price: number;
        /**
         * @description A display name: 1 to 100 characters, no leading or trailing white space, no control characters and no
         *     invisible format characters (zero-width spaces and joiners, bidirectional overrides and isolates, the byte
         *     order mark, soft hyphens): they would let two names that look the same both be "unique". Names are stored
         *     in Unicode normalization form C, so `Café` typed either way is the same name.
         * @example My Store
         */
        Name: string;
        /**
         * @description Free text about an item, up to 1000 characters; `null` when there is none.
         * @example Hand-made
         * @example one of a kind.
         */
        Description: string | null;
        /**
         * Format: uri
         * @description The absolute URL of the next page. Absent on the last page; never null. A page with fewer results than
         *     `limit`, even none, may still have a next page when its filters could not be served from an index in
         *     its order (each page reads a bounded number of rows): follow `next` until it is absent.
         * @example http://localhost:3000/items?limit=20&cursor=eyJ2IjpbIm15IGl0ZW0iXX0.c2ln
         */
        NextLink: string;
        /** @description A store, which holds items and tags. */
        Store: {
            id: components["schemas"]["Id"];
            name: components["schemas"]["Name"];
            /**
             * @description The id of the user who created the store and may change it. `null` for a store made before accounts
             *     existed, which only admins may change.
             * @example 01936d3e-6f7a-7b2c-8d3e-4f5a6b7c8d9e
             */
            ownerId: string | null;
            createdAt: components["schemas"]["Timestamp"];
            updatedAt: components["schemas"]["Timestamp"];
            /** @description Only with `include=items`: the store's first items, sorted by name, at most 20. */
            items?: components["schemas"]["Item"][];
            itemsNext?: components["schemas"]["NextLink"];
        };
        /**
         * @description What a client sends to create a store.
         * @example {
         *       "name": "My Store"
         *     }
         */
        StoreCreate: {
            name: components["schemas"]["Name"];
        };
        /**
         * @description A JSON Merge Patch for a store. Every member is optional; `name` cannot be removed.
         * @example {
         *       "name": "My Corner Store"
         *     }
         */
        StorePatch: {
            name?: components["schemas"]["Name"];
        };
        /** @description One page of stores. */
        StoreList: {
            /** @description The stores on this page. */
            stores: components["schemas"]["Store"][];
            next?: components["schemas"]["NextLink"];
        };
        /**
         * @description A tag as it appears on an item.
         * @example {
         *       "id": "01936d3e-9cad-7e5f-9a6b-7c8d9e0f1a2b",
         *       "name": "sale"
         *     }
         */
        ItemTag: {
            id: components["schemas"]["Id"];
            name: components["schemas"]["Name"];
        };
        /** @description An item for sale in a store. */
        Item: {
            id: components["schemas"]["Id"];
            storeId: components["schemas"]["Id"];
            name: components["schemas"]["Name"];
            description: components["schemas"]["Description"];
            price: components["schemas"]["Price"];
            /** @description The tags on this item, sorted by name. An item carries at most 100 tags. */
            tags: components["schemas"]["ItemTag"][];
            createdAt: components["schemas"]["Timestamp"];
            updatedAt: components["schemas"]["Timestamp"];
        };
        /**
         * @description What a client sends to create an item.
         * @example {
         *       "storeId": "01936d3e-7a8b-7c3d-9e4f-5a6b7c8d9e0f",
         *       "name": "my item",
         *       "price": 15.99
         *     }
         */
        ItemCreate: {
            storeId: components["schemas"]["Id"];
            name: components["schemas"]["Name"];
            description?: components["schemas"]["Description"];
            price: components["schemas"]["Price"];
        };
        /**
         * @description The full set of an item's writable fields, for PUT. An omitted `description` becomes `null`.
         * @example {
         *       "name": "my item",
         *       "description": "Now with a description.",
         *       "price": 16.5
         *     }
         */
        ItemReplacement: {
            name: components["schemas"]["Name"];
            description?: components["schemas"]["Description"];
            price: components["schemas"]["Price"];
        };
        /**
         * @description A JSON Merge Patch for an item. Every member is optional; `description` may be `null` to remove it.
         * @example {
         *       "price": 14.5
         *     }
         * @example {
         *       "description": null
         *     }
         */
        ItemPatch: {
            name?: components["schemas"]["Name"];
            description?: components["schemas"]["Description"];
            price?: components["schemas"]["Price"];
        };
        /** @description One page of items. */
        ItemList: {
            /** @description The items on this page. */
            items: components["schemas"]["Item"][];
            next?: components["schemas"]["NextLink"];
        };
        /** @description A label a store puts on its items. */
        Tag: {
            id: components["schemas"]["Id"];
            storeId: components["schemas"]["Id"];
            name: components["schemas"]["Name"];
            createdAt: components["schemas"]["Timestamp"];
            updatedAt: components["schemas"]["Timestamp"];
        };
        /**
         * @description What a client sends to create a tag.
         * @example {
         *       "storeId": "01936d3e-7a8b-7c3d-9e4f-5a6b7c8d9e0f",
         *       "name": "sale"
         *     }
         */
        TagCreate: {
            storeId: components["schemas"]["Id"];
            name: components["schemas"]["Name"];
        };
        /**
         * @description A JSON Merge Patch for a tag. Every member is optional; `name` cannot be removed.
         * @example {
         *       "name": "clearance"
         *     }
         */
        TagPatch: {
            name?: components["schemas"]["Name"];
        };
        /** @description One page of tags. */
        TagList: {
            /** @description The tags on this page. */
            tags: components["schemas"]["Tag"][];
            next?: components["schemas"]["NextLink"];
        };
        /**
         * Format: email
         * @description An e-mail address. Compared without regard to case; stored in lower case.
         * @example ada@example.com
         */
        Email: string;
        /**
         * Format: password
         * @description A password of 8 to 128 characters (counted after Unicode NFKC normalization, as it is hashed). Any
         *     characters, spaces included. Never returned, never logged. A new password (registering, changing it) is
         *     also refused with 400 when it is one of the common or breached passwords of zxcvbn-ts's lists, or when it
         *     is the account's e-mail address or a part of it; the problem's `errors[0].detail` says which rule failed.
         * @example correct horse battery staple
         */
        Password: string;
        /** @description An account. Its password is never part of any response. */
        User: {
            id: components["schemas"]["Id"];
            email: components["schemas"]["Email"];
            /**
             * @description `admin` may change any store and read or delete any user; `user` only their own.
             * @example user
             * @enum {string}
             */
            role: "user" | "admin";
            createdAt: components["schemas"]["Timestamp"];
        };
        /**
         * @description What a client sends to register.
         * @example {
         *       "email": "ada@example.com",
         *       "password": "correct horse battery staple"
         *     }
         */
        UserRegistration: {
            email: components["schemas"]["Email"];
            password: components["schemas"]["Password"];
        };
        /**
         * @description What a client sends to sign in.
         * @example {
         *       "email": "ada@example.com",
         *       "password": "correct horse battery staple"
         *     }
         */
        Credentials: {
            email: components["schemas"]["Email"];
            password: components["schemas"]["Password"];
        };
        /**
         * @description What a client sends to change its password.
         * @example {
         *       "currentPassword": "correct horse battery staple",
         *       "newPassword": "purple monkey dishwasher lamp"
         *     }
         */
        PasswordChange: {
            /**
             * Format: password
             * @description The password the account has now.
             * @example correct horse battery staple
             */
            currentPassword: string;
            newPassword: components["schemas"]["Password"];
        };
        /** @description The tokens a sign-in or a refresh gives. */
        TokenPair: {
            /**
             * @description A signed JWT to send as `Authorization: Bearer <accessToken>`. Short-lived.
             * @example eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIwMTkzNmQzZSJ9.c2lnbmF0dXJl
             */
            accessToken: string;
            /**
             * @description An opaque token for `refreshToken`. Works once; keep it secret.
             * @example 01936d3e-aa11-7b2c-8d3e-4f5a6b7c8d9e.bXlzdGVyeXN0cmluZ29mcmFuZG9tYnl0ZXM
             */
            refreshToken: string;
            /**
             * @description Always `Bearer`.
             * @example Bearer
             * @enum {string}
             */
            tokenType: "Bearer";
            /**
             * Format: int32
             * @description Seconds until the access token expires.
             * @example 900
             */
            expiresIn: number;
        };
        /**
         * @description What a client sends to refresh its tokens.
         * @example {
         *       "refreshToken": "01936d3e-aa11-7b2c-8d3e-4f5a6b7c8d9e.bXlzdGVyeXN0cmluZ29mcmFuZG9tYnl0ZXM"
         *     }
         */
        RefreshTokenRequest: {
            /**
             * @description The refresh token from the last sign-in or refresh.
             * @example 01936d3e-aa11-7b2c-8d3e-4f5a6b7c8d9e.bXlzdGVyeXN0cmluZ29mcmFuZG9tYnl0ZXM
             */
            refreshToken: string;
        };
        /**
         * @description What a client sends to sign out.
         * @example {
         *       "refreshToken": "01936d3e-aa11-7b2c-8d3e-4f5a6b7c8d9e.bXlzdGVyeXN0cmluZ29mcmFuZG9tYnl0ZXM"
         *     }
         */
        RevokeTokenRequest: {
            /**
             * @description The refresh token to revoke, with every token descended from the same sign-in.
             * @example 01936d3e-aa11-7b2c-8d3e-4f5a6b7c8d9e.bXlzdGVyeXN0cmluZ29mcmFuZG9tYnl0ZXM
             */
            refreshToken: string;
        };
        /** @description The state of one instance of the API. */
        Health: {
            /**
             * @description `ok` from liveness, `ready` from readiness.
             * @example ready
             * @enum {string}
             */
            status: "ok" | "ready";
        };
        /** @description An RFC 9457 problem detail. `status` always equals the HTTP status of the response. */
        Problem: {
            /**
             * Format: uri-reference
             * @description A URI reference naming the kind of problem, resolved against the API's base URL:
             *
             *     | type | status | meaning |
             *     |---|---|---|
             *     | `/problems/validation-failed` | 400 | a path, query, header or body value breaks the schema |
             *     | `/problems/malformed-request` | 400 | the body is not valid JSON, or a cursor is not one this API issued |
             *     | `/problems/unauthorized` | 401 | no valid access token; `WWW-Authenticate` says why |
             *     | `/problems/forbidden` | 403 | the signed-in user may not do this |
             *     | `/problems/not-acceptable` | 406 | `Accept` refuses every media type a success of the operation could carry |
             *     | `/problems/not-found` | 404 | nothing exists at this URL, or the identifier names nothing |
             *     | `/problems/method-not-allowed` | 405 | the path exists but not with this method; see `Allow` |
             *     | `/problems/conflict` | 409 | the change would break a uniqueness rule or a tag is still in use |
             *     | `/problems/payload-too-large` | 413 | the body is larger than the server accepts |
             *     | `/problems/unsupported-media-type` | 415 | the body's `Content-Type` is not one the operation takes |
             *     | `/problems/unprocessable` | 422 | the body is well formed but refers to something that cannot be used |
             *     | `/problems/rate-limited` | 429 | too many requests from this client; see `Retry-After` |
             *     | `/problems/internal` | 500 | the server failed; the detail says nothing internal |
             *     | `/problems/request-timeout` | 408 | the request did not arrive in time (answered by the HTTP layer, before any operation) |
             *     | `/problems/headers-too-large` | 431 | the request headers are over 16 KiB (answered by the HTTP layer, before any operation) |
             *     | `/problems/unavailable` | 503 | the server is overloaded, shutting down or not ready; retry after `Retry-After` seconds |
             * @example /problems/not-found
             */
            type: string;
            /**
             * @description A short summary of the kind of problem; the same for every problem of one type.
             * @example Not Found
             */
            title: string;
            /**
             * Format: int32
             * @description The HTTP status code of this response.
             * @example 404
             */
            status: number;
            /**
             * @description What went wrong with this request, for a person to read.
             * @example No store has the id 01936d3e-7a8b-7c3d-9e4f-5a6b7c8d9e0f.
             */
            detail: string;
            /**
             * Format: uri-reference
             * @description The request path this problem is about.
             * @example /stores/01936d3e-7a8b-7c3d-9e4f-5a6b7c8d9e0f
             */
            instance?: string;
            /**
             * @description The id of the request, as it appears in the server's logs; quote it when asking for help.
             * @example req-1f
             */
            requestId?: string;
            /** @description For validation failures, one entry per failing value. */
            errors?: components["schemas"]["ValidationIssue"][];
        };
        /**
         * @description One value that failed validation, and why.
         * @example {
         *       "location": "body",
         *       "pointer": "/name",
         *       "detail": "must NOT have fewer than 1 characters"
         *     }
         */
        ValidationIssue: {
            /**
             * @description Where the value was in the request.
             * @example body
             * @enum {string}
             */
            location: "path" | "query" | "header" | "body";
            /**
             * @description A JSON Pointer (RFC 6901) to the value: into the body for `body`, and to the parameter's name for
             *     `path`, `query` and `header` (so `/limit` is the `limit` query parameter). `""` means the whole body.
             * @example /name
             */
            pointer: string;
            /**
             * @description What is wrong with the value.
             * @example must NOT have fewer than 1 characters
             */
            detail: string;
        };
    };
    responses: {
        /** @description A path, query or body value breaks the schema, the body is not JSON, or the cursor is not valid here. */
        BadRequest: {
            headers: {
                "X-Request-Id": components["headers"]["RequestId"];
                "Cache-Control": components["headers"]["NoStore"];
                "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description No valid access token was sent. The `WWW-Authenticate` challenge says why. */
        Unauthorized: {
            headers: {
                "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                "X-Request-Id": components["headers"]["RequestId"];
                "Cache-Control": components["headers"]["NoStore"];
                "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The signed-in user may not do this here; nothing was changed. */
        Forbidden: {
            headers: {
                "X-Request-Id": components["headers"]["RequestId"];
                "Cache-Control": components["headers"]["NoStore"];
                "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Too many requests from this client; wait `Retry-After` seconds. */
        TooManyRequests: {
            headers: {
                "Retry-After": components["headers"]["RetryAfter"];
                "RateLimit-Limit": components["headers"]["RateLimitLimit"];
                "RateLimit-Remaining": components["headers"]["RateLimitRemaining"];
                "RateLimit-Reset": components["headers"]["RateLimitReset"];
                "X-Request-Id": components["headers"]["RequestId"];
                "Cache-Control": components["headers"]["NoStore"];
                "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The `If-Match` tag is not the current one (or is weak); nothing was changed. GET it again. */
        PreconditionFailed: {
            headers: {
                "X-Request-Id": components["headers"]["RequestId"];
                "Cache-Control": components["headers"]["NoStore"];
                "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description This server requires `If-Match` on changes (`REQUIRE_IF_MATCH`); send the ETag you last saw. */
        PreconditionRequired: {
            headers: {
                "X-Request-Id": components["headers"]["RequestId"];
                "Cache-Control": components["headers"]["NoStore"];
                "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /**
         * @description `Accept` refuses every media type a success of this operation could carry (here `application/json`).
         *     Only answered where the request would otherwise succeed: a 401, 403 or 404 it earns comes first, and
         *     nothing is changed. Operations whose success has no content never answer 406.
         */
        NotAcceptable: {
            headers: {
                "X-Request-Id": components["headers"]["RequestId"];
                "Cache-Control": components["headers"]["NoStore"];
                "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Nothing exists with this id. */
        NotFound: {
            headers: {
                "X-Request-Id": components["headers"]["RequestId"];
                "Cache-Control": components["headers"]["NoStore"];
                "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The change would break a uniqueness rule, or the resource is still in use; or the first request with this `Idempotency-Key` is still running, and `Retry-After` says when to send it again. */
        Conflict: {
            headers: {
                "Retry-After": components["headers"]["RetryAfterStillRunning"];
                "X-Request-Id": components["headers"]["RequestId"];
                "Cache-Control": components["headers"]["NoStore"];
                "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /**
         * @description The body stopped arriving (nothing for `BODY_TIMEOUT`), or the whole request took longer than
         *     `REQUEST_TIMEOUT`. The connection is closed after this answer; send the request again, whole.
         */
        RequestTimeout: {
            headers: {
                "X-Request-Id": components["headers"]["RequestId"];
                "Cache-Control": components["headers"]["NoStore"];
                "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /**
         * @description Too many requests from this client (`RateLimit-*` say so), or too many failed sign-ins to this account
         *     from anywhere: wait `Retry-After` seconds. Answered alike whether or not the account exists.
         */
        SignInThrottled: {
            headers: {
                "Retry-After": components["headers"]["RetryAfter"];
                /** @description How many requests a client may make in the window; sent when the client's limit was reached. */
                "RateLimit-Limit"?: number;
                /** @description How many requests the client has left in the window; sent with RateLimit-Limit. */
                "RateLimit-Remaining"?: number;
                /** @description Seconds until the client's window resets; sent with RateLimit-Limit. */
                "RateLimit-Reset"?: number;
                "X-Request-Id": components["headers"]["RequestId"];
                "Cache-Control": components["headers"]["NoStore"];
                "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The body is larger than the server accepts. */
        PayloadTooLarge: {
            headers: {
                "X-Request-Id": components["headers"]["RequestId"];
                "Cache-Control": components["headers"]["NoStore"];
                "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The body's `Content-Type` is not one this operation takes. */
        UnsupportedMediaType: {
            headers: {
                "X-Request-Id": components["headers"]["RequestId"];
                "Cache-Control": components["headers"]["NoStore"];
                "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The body is well formed but refers to something that does not exist or cannot be used here. */
        Unprocessable: {
            headers: {
                "X-Request-Id": components["headers"]["RequestId"];
                "Cache-Control": components["headers"]["NoStore"];
                "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The server failed. The detail says nothing internal; quote `requestId` when reporting it. */
        InternalError: {
            headers: {
                "X-Request-Id": components["headers"]["RequestId"];
                "Cache-Control": components["headers"]["NoStore"];
                "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The server cannot take this request now: it is overloaded, shutting down, or (readiness) not ready. Nothing was changed; try again after `Retry-After` seconds, on this or another instance. */
        ServiceUnavailable: {
            headers: {
                "Retry-After": components["headers"]["RetryAfter"];
                "X-Request-Id": components["headers"]["RequestId"];
                "Cache-Control": components["headers"]["NoStore"];
                "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
    };
    parameters: {
        /**
         * @description Makes a create safe to retry: send a unique key (a UUID, say), as a structured-field string (`"..."`,
         *     as the IETF draft has it) or bare. The first request with a key creates; a retry with the same key and
         *     body gets the first answer again (status, `Location`, body) and creates nothing. The same key with
         *     another body is 422; a retry while the first request is still running (over 5 seconds) is 409 with
         *     `Retry-After`. A first request that failed, or whose server died, leaves the key free again (at the
         *     latest 10 seconds later). Keys belong to the caller (the signed-in user, or the client address where no
         *     sign-in is needed) and to the operation (the same key sent to another operation is another request), and
         *     are kept for 24 hours. The example key is one fixed value: sent again to the same operation with another
         *     body, it gets that 422.
         */
        IdempotencyKey: string;
        /**
         * @description ETags you hold (or `*`); if the current one is among them, the answer is 304 with no body. A value that
         *     is not a list of entity tags is ignored, as RFC 9110 §13.1.2 has it: the request is answered as if it
         *     had none.
         */
        IfNoneMatch: string;
        /**
         * @description The ETag you last saw (or `*`): the change is made only if it is still current, else 412 and nothing
         *     changes. Weak tags never match, and neither does a value that is not an entity tag (412, like any tag
         *     that is not current). `*` matches whatever is current. When the server requires it
         *     (`REQUIRE_IF_MATCH`), leaving it out is 428.
         * @example *
         */
        IfMatch: string;
        /**
         * @description The user's id.
         * @example 01936d3e-6f7a-7b2c-8d3e-4f5a6b7c8d9e
         */
        UserId: components["schemas"]["Id"];
        /**
         * @description The store's id.
         * @example 01936d3e-7a8b-7c3d-9e4f-5a6b7c8d9e0f
         */
        StoreId: components["schemas"]["Id"];
        /**
         * @description The item's id.
         * @example 01936d3e-8b9c-7d4e-8f5a-6b7c8d9e0f1a
         */
        ItemId: components["schemas"]["Id"];
        /**
         * @description The tag's id.
         * @example 01936d3e-9cad-7e5f-9a6b-7c8d9e0f1a2b
         */
        TagId: components["schemas"]["Id"];
        /**
         * @description Only those of this store.
         * @example 01936d3e-7a8b-7c3d-9e4f-5a6b7c8d9e0f
         */
        StoreIdQuery: components["schemas"]["Id"];
        /**
         * @description Only items that carry this tag.
         * @example 01936d3e-9cad-7e5f-9a6b-7c8d9e0f1a2b
         */
        TagIdQuery: components["schemas"]["Id"];
        /** @description Only items priced at least this much. */
        MinPrice: components["schemas"]["Price"];
        /** @description Only items priced at most this much. */
        MaxPrice: components["schemas"]["Price"];
        /**
         * @description Only stores whose name contains this text. Case is ignored for the letters A to Z only; `%` and `_` match
         *     themselves. A text with three letters or digits (A-Z, a-z, 0-9) in a row is looked up in a trigram index
         *     of names; any other text (shorter, or of other characters) is checked in at most 1,000 stores per page,
         *     so its pages may be short; follow `next` until it is absent.
         */
        StoreNameQuery: string;
        /**
         * @description Only items whose name contains this text. Case is ignored for the letters A to Z only; `%` and `_` match
         *     themselves. A text with three letters or digits (A-Z, a-z, 0-9) in a row is looked up in a trigram index
         *     of names; any other text (shorter, or of other characters) is checked in at most 1,000 items per page,
         *     so its pages may be short; follow `next` until it is absent.
         */
        ItemNameQuery: string;
        /**
         * @description Only tags whose name contains this text. Case is ignored for the letters A to Z only; `%` and `_` match
         *     themselves. A text with three letters or digits (A-Z, a-z, 0-9) in a row is looked up in a trigram index
         *     of names; any other text (shorter, or of other characters) is checked in at most 1,000 tags per page,
         *     so its pages may be short; follow `next` until it is absent.
         */
        TagNameQuery: string;
        /** @description `items` embeds each store's first items (at most 20, by name) and a link to the rest. */
        IncludeItems: "items";
        /** @description The order of the stores. A leading `-` sorts descending. Ties are broken by id. */
        StoreSort: "name" | "-name" | "createdAt" | "-createdAt";
        /** @description The order of the items. A leading `-` sorts descending. Ties are broken by id. */
        ItemSort: "name" | "-name" | "price" | "-price" | "createdAt" | "-createdAt";
        /** @description The most results on one page. */
        Limit: number;
        /**
         * @description Where the page starts: copy it from the previous page's `next`. It is only valid with the same filters
         *     and sort; a cursor this API did not issue, or used with other filters, is answered with 400.
         */
        Cursor: string;
    };
    requestBodies: never;
    headers: {
        /**
         * @description The id of this request, as it appears in the server's logs and in problem bodies. A well-formed
         *     `X-Request-Id` sent by the client (1 to 128 of `A-Z a-z 0-9 . _ : -`) is used; otherwise one is made.
         */
        RequestId: string;
        /**
         * @description A strong validator of this representation: it changes whenever the representation does. Send it back in
         *     `If-None-Match` to revalidate (304) or in `If-Match` to change only what you have seen (412 otherwise).
         */
        ETag: string;
        /** @description Browsers and shared caches may store this response, but must revalidate it before each use. */
        PublicRevalidate: "public, no-cache";
        /** @description Never stored by any cache. */
        NoStore: "no-store";
        /**
         * @description The Bearer challenge (RFC 6750): `error="invalid_token"` when a token was sent but is malformed,
         *     expired, revoked or signed wrongly; no error code when none was sent.
         */
        WWWAuthenticate: string;
        /** @description Sent only when the first request with this `Idempotency-Key` is still running: seconds to wait before sending it again. */
        RetryAfterStillRunning: number;
        /** @description Seconds to wait before trying again. */
        RetryAfter: number;
        /** @description How many requests a client may make in the window. */
        RateLimitLimit: number;
        /** @description How many requests the client has left in the window. */
        RateLimitRemaining: number;
        /** @description Seconds until the window resets. */
        RateLimitReset: number;
        /** @description The absolute URL of the store just created. */
        StoreLocation: string;
        /** @description The absolute URL of the item just created. */
        ItemLocation: string;
        /** @description The absolute URL of the tag just created. */
        TagLocation: string;
        /** @description The absolute URL of the account just created. */
        UserLocation: string;
        /** @description Present only when the request came from a browser origin listed in `CORS_ORIGINS`: that origin, echoed back. Never `*`, never an origin outside the list. With `CORS_ORIGINS` set, every response also carries `Vary: Origin`, so a cache never hands one origin's answer to another. */
        "Access-Control-Allow-Origin": string;
        /**
         * @description Sent when this operation, or a parameter the request used, is deprecated (`deprecated: true` here): the
         *     date it was deprecated on, as an RFC 9745 structured-field date (`@` and seconds since 1970). Move off it
         *     before its `Sunset`; the changelog (CHANGELOG-API.md) says what replaces it.
         */
        Deprecation: string;
        /**
         * @description Sent with `Deprecation` when the spec gives the operation or parameter a removal date (`x-sunset`): the
         *     time after which it may stop working, as an HTTP-date (RFC 8594).
         */
        Sunset: string;
        /**
         * @description Sent with `Deprecation`: a link (RFC 8288) with `rel="deprecation"` to this operation's documentation, which
         *     says what to use instead.
         */
        DeprecationLink: string;
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    listStores: {
        parameters: {
            query?: {
                /**
                 * @description Only stores whose name contains this text. Case is ignored for the letters A to Z only; `%` and `_` match
                 *     themselves. A text with three letters or digits (A-Z, a-z, 0-9) in a row is looked up in a trigram index
                 *     of names; any other text (shorter, or of other characters) is checked in at most 1,000 stores per page,
                 *     so its pages may be short; follow `next` until it is absent.
                 */
                q?: components["parameters"]["StoreNameQuery"];
                /** @description `items` embeds each store's first items (at most 20, by name) and a link to the rest. */
                include?: components["parameters"]["IncludeItems"];
                /** @description The order of the stores. A leading `-` sorts descending. Ties are broken by id. */
                sort?: components["parameters"]["StoreSort"];
                /** @description The most results on one page. */
                limit?: components["parameters"]["Limit"];
                /**
                 * @description Where the page starts: copy it from the previous page's `next`. It is only valid with the same filters
                 *     and sort; a cursor this API did not issue, or used with other filters, is answered with 400.
                 */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: {
                /**
                 * @description ETags you hold (or `*`); if the current one is among them, the answer is 304 with no body. A value that
                 *     is not a list of entity tags is ignored, as RFC 9110 §13.1.2 has it: the request is answered as if it
                 *     had none.
                 */
                "If-None-Match"?: components["parameters"]["IfNoneMatch"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of stores. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "Cache-Control": components["headers"]["PublicRevalidate"];
                    ETag: components["headers"]["ETag"];
                    "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StoreList"];
                };
            };
            /** @description The representation has not changed since the ETag you sent; use your copy. */
            304: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "Cache-Control": components["headers"]["PublicRevalidate"];
                    ETag: components["headers"]["ETag"];
                    "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            406: components["responses"]["NotAcceptable"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    createStore: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes a create safe to retry: send a unique key (a UUID, say), as a structured-field string (`"..."`,
                 *     as the IETF draft has it) or bare. The first request with a key creates; a retry with the same key and
                 *     body gets the first answer again (status, `Location`, body) and creates nothing. The same key with
                 *     another body is 422; a retry while the first request is still running (over 5 seconds) is 409 with
                 *     `Retry-After`. A first request that failed, or whose server died, leaves the key free again (at the
                 *     latest 10 seconds later). Keys belong to the caller (the signed-in user, or the client address where no
                 *     sign-in is needed) and to the operation (the same key sent to another operation is another request), and
                 *     are kept for 24 hours. The example key is one fixed value: sent again to the same operation with another
                 *     body, it gets that 422.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StoreCreate"];
            };
        };
        responses: {
            /** @description The store was created. `Location` is its URL. */
            201: {
                headers: {
                    Location: components["headers"]["StoreLocation"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    "Cache-Control": components["headers"]["NoStore"];
                    ETag: components["headers"]["ETag"];
                    "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Store"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            406: components["responses"]["NotAcceptable"];
            408: components["responses"]["RequestTimeout"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["Unprocessable"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getStore: {
        parameters: {
            query?: {
                /** @description `items` embeds each store's first items (at most 20, by name) and a link to the rest. */
                include?: components["parameters"]["IncludeItems"];
            };
            header?: {
                /**
                 * @description ETags you hold (or `*`); if the current one is among them, the answer is 304 with no body. A value that
                 *     is not a list of entity tags is ignored, as RFC 9110 §13.1.2 has it: the request is answered as if it
                 *     had none.
                 */
                "If-None-Match"?: components["parameters"]["IfNoneMatch"];
            };
            path: {
                /**
                 * @description The store's id.
                 * @example 01936d3e-7a8b-7c3d-9e4f-5a6b7c8d9e0f
                 */
                storeId: components["parameters"]["StoreId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The store. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "Cache-Control": components["headers"]["PublicRevalidate"];
                    ETag: components["headers"]["ETag"];
                    "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Store"];
                };
            };
            /** @description The representation has not changed since the ETag you sent; use your copy. */
            304: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "Cache-Control": components["headers"]["PublicRevalidate"];
                    ETag: components["headers"]["ETag"];
                    "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            404: components["responses"]["NotFound"];
            406: components["responses"]["NotAcceptable"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    deleteStore: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description The ETag you last saw (or `*`): the change is made only if it is still current, else 412 and nothing
                 *     changes. Weak tags never match, and neither does a value that is not an entity tag (412, like any tag
                 *     that is not current). `*` matches whatever is current. When the server requires it
                 *     (`REQUIRE_IF_MATCH`), leaving it out is 428.
                 * @example *
                 */
                "If-Match"?: components["parameters"]["IfMatch"];
            };
            path: {
                /**
                 * @description The store's id.
                 * @example 01936d3e-7a8b-7c3d-9e4f-5a6b7c8d9e0f
                 */
                storeId: components["parameters"]["StoreId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The store, its items and its tags are gone. */
            204: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "Cache-Control": components["headers"]["NoStore"];
                    "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            412: components["responses"]["PreconditionFailed"];
            428: components["responses"]["PreconditionRequired"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    updateStore: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description The ETag you last saw (or `*`): the change is made only if it is still current, else 412 and nothing
                 *     changes. Weak tags never match, and neither does a value that is not an entity tag (412, like any tag
                 *     that is not current). `*` matches whatever is current. When the server requires it
                 *     (`REQUIRE_IF_MATCH`), leaving it out is 428.
                 * @example *
                 */
                "If-Match"?: components["parameters"]["IfMatch"];
            };
            path: {
                /**
                 * @description The store's id.
                 * @example 01936d3e-7a8b-7c3d-9e4f-5a6b7c8d9e0f
                 */
                storeId: components["parameters"]["StoreId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/merge-patch+json": components["schemas"]["StorePatch"];
            };
        };
        responses: {
            /** @description The store as it is after the change. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "Cache-Control": components["headers"]["NoStore"];
                    ETag: components["headers"]["ETag"];
                    "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Store"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            406: components["responses"]["NotAcceptable"];
            408: components["responses"]["RequestTimeout"];
            409: components["responses"]["Conflict"];
            412: components["responses"]["PreconditionFailed"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            428: components["responses"]["PreconditionRequired"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listItems: {
        parameters: {
            query?: {
                /**
                 * @description Only those of this store.
                 * @example 01936d3e-7a8b-7c3d-9e4f-5a6b7c8d9e0f
                 */
                storeId?: components["parameters"]["StoreIdQuery"];
                /**
                 * @description Only items that carry this tag.
                 * @example 01936d3e-9cad-7e5f-9a6b-7c8d9e0f1a2b
                 */
                tagId?: components["parameters"]["TagIdQuery"];
                /** @description Only items priced at least this much. */
                minPrice?: components["parameters"]["MinPrice"];
                /** @description Only items priced at most this much. */
                maxPrice?: components["parameters"]["MaxPrice"];
                /**
                 * @description Only items whose name contains this text. Case is ignored for the letters A to Z only; `%` and `_` match
                 *     themselves. A text with three letters or digits (A-Z, a-z, 0-9) in a row is looked up in a trigram index
                 *     of names; any other text (shorter, or of other characters) is checked in at most 1,000 items per page,
                 *     so its pages may be short; follow `next` until it is absent.
                 */
                q?: components["parameters"]["ItemNameQuery"];
                /** @description The order of the items. A leading `-` sorts descending. Ties are broken by id. */
                sort?: components["parameters"]["ItemSort"];
                /** @description The most results on one page. */
                limit?: components["parameters"]["Limit"];
                /**
                 * @description Where the page starts: copy it from the previous page's `next`. It is only valid with the same filters
                 *     and sort; a cursor this API did not issue, or used with other filters, is answered with 400.
                 */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: {
                /**
                 * @description ETags you hold (or `*`); if the current one is among them, the answer is 304 with no body. A value that
                 *     is not a list of entity tags is ignored, as RFC 9110 §13.1.2 has it: the request is answered as if it
                 *     had none.
                 */
                "If-None-Match"?: components["parameters"]["IfNoneMatch"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of items. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "Cache-Control": components["headers"]["PublicRevalidate"];
                    ETag: components["headers"]["ETag"];
                    "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ItemList"];
                };
            };
            /** @description The representation has not changed since the ETag you sent; use your copy. */
            304: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "Cache-Control": components["headers"]["PublicRevalidate"];
                    ETag: components["headers"]["ETag"];
                    "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            406: components["responses"]["NotAcceptable"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    createItem: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes a create safe to retry: send a unique key (a UUID, say), as a structured-field string (`"..."`,
                 *     as the IETF draft has it) or bare. The first request with a key creates; a retry with the same key and
                 *     body gets the first answer again (status, `Location`, body) and creates nothing. The same key with
                 *     another body is 422; a retry while the first request is still running (over 5 seconds) is 409 with
                 *     `Retry-After`. A first request that failed, or whose server died, leaves the key free again (at the
                 *     latest 10 seconds later). Keys belong to the caller (the signed-in user, or the client address where no
                 *     sign-in is needed) and to the operation (the same key sent to another operation is another request), and
                 *     are kept for 24 hours. The example key is one fixed value: sent again to the same operation with another
                 *     body, it gets that 422.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ItemCreate"];
            };
        };
        responses: {
            /** @description The item was created. `Location` is its URL. */
            201: {
                headers: {
                    Location: components["headers"]["ItemLocation"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    "Cache-Control": components["headers"]["NoStore"];
                    ETag: components["headers"]["ETag"];
                    "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Item"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            406: components["responses"]["NotAcceptable"];
            408: components["responses"]["RequestTimeout"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["Unprocessable"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getItem: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description ETags you hold (or `*`); if the current one is among them, the answer is 304 with no body. A value that
                 *     is not a list of entity tags is ignored, as RFC 9110 §13.1.2 has it: the request is answered as if it
                 *     had none.
                 */
                "If-None-Match"?: components["parameters"]["IfNoneMatch"];
            };
            path: {
                /**
                 * @description The item's id.
                 * @example 01936d3e-8b9c-7d4e-8f5a-6b7c8d9e0f1a
                 */
                itemId: components["parameters"]["ItemId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The item. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "Cache-Control": components["headers"]["PublicRevalidate"];
                    ETag: components["headers"]["ETag"];
                    "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Item"];
                };
            };
            /** @description The representation has not changed since the ETag you sent; use your copy. */
            304: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "Cache-Control": components["headers"]["PublicRevalidate"];
                    ETag: components["headers"]["ETag"];
                    "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            404: components["responses"]["NotFound"];
            406: components["responses"]["NotAcceptable"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    replaceItem: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description The ETag you last saw (or `*`): the change is made only if it is still current, else 412 and nothing
                 *     changes. Weak tags never match, and neither does a value that is not an entity tag (412, like any tag
                 *     that is not current). `*` matches whatever is current. When the server requires it
                 *     (`REQUIRE_IF_MATCH`), leaving it out is 428.
                 * @example *
                 */
                "If-Match"?: components["parameters"]["IfMatch"];
            };
            path: {
                /**
                 * @description The item's id.
                 * @example 01936d3e-8b9c-7d4e-8f5a-6b7c8d9e0f1a
                 */
                itemId: components["parameters"]["ItemId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ItemReplacement"];
            };
        };
        responses: {
            /** @description The item as it is after the change. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "Cache-Control": components["headers"]["NoStore"];
                    ETag: components["headers"]["ETag"];
                    "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Item"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            406: components["responses"]["NotAcceptable"];
            408: components["responses"]["RequestTimeout"];
            409: components["responses"]["Conflict"];
            412: components["responses"]["PreconditionFailed"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            428: components["responses"]["PreconditionRequired"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    deleteItem: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description The ETag you last saw (or `*`): the change is made only if it is still current, else 412 and nothing
                 *     changes. Weak tags never match, and neither does a value that is not an entity tag (412, like any tag
                 *     that is not current). `*` matches whatever is current. When the server requires it
                 *     (`REQUIRE_IF_MATCH`), leaving it out is 428.
                 * @example *
                 */
                "If-Match"?: components["parameters"]["IfMatch"];
            };
            path: {
                /**
                 * @description The item's id.
                 * @example 01936d3e-8b9c-7d4e-8f5a-6b7c8d9e0f1a
                 */
                itemId: components["parameters"]["ItemId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The item is gone. */
            204: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "Cache-Control": components["headers"]["NoStore"];
                    "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            412: components["responses"]["PreconditionFailed"];
            428: components["responses"]["PreconditionRequired"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    updateItem: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description The ETag you last saw (or `*`): the change is made only if it is still current, else 412 and nothing
                 *     changes. Weak tags never match, and neither does a value that is not an entity tag (412, like any tag
                 *     that is not current). `*` matches whatever is current. When the server requires it
                 *     (`REQUIRE_IF_MATCH`), leaving it out is 428.
                 * @example *
                 */
                "If-Match"?: components["parameters"]["IfMatch"];
            };
            path: {
                /**
                 * @description The item's id.
                 * @example 01936d3e-8b9c-7d4e-8f5a-6b7c8d9e0f1a
                 */
                itemId: components["parameters"]["ItemId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/merge-patch+json": components["schemas"]["ItemPatch"];
            };
        };
        responses: {
            /** @description The item as it is after the change. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "Cache-Control": components["headers"]["NoStore"];
                    ETag: components["headers"]["ETag"];
                    "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Item"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            406: components["responses"]["NotAcceptable"];
            408: components["responses"]["RequestTimeout"];
            409: components["responses"]["Conflict"];
            412: components["responses"]["PreconditionFailed"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            428: components["responses"]["PreconditionRequired"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    tagItem: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The item's id.
                 * @example 01936d3e-8b9c-7d4e-8f5a-6b7c8d9e0f1a
                 */
                itemId: components["parameters"]["ItemId"];
                /**
                 * @description The tag's id.
                 * @example 01936d3e-9cad-7e5f-9a6b-7c8d9e0f1a2b
                 */
                tagId: components["parameters"]["TagId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The item, now carrying the tag. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "Cache-Control": components["headers"]["NoStore"];
                    ETag: components["headers"]["ETag"];
                    "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Item"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            406: components["responses"]["NotAcceptable"];
            422: components["responses"]["Unprocessable"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    untagItem: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The item's id.
                 * @example 01936d3e-8b9c-7d4e-8f5a-6b7c8d9e0f1a
                 */
                itemId: components["parameters"]["ItemId"];
                /**
                 * @description The tag's id.
                 * @example 01936d3e-9cad-7e5f-9a6b-7c8d9e0f1a2b
                 */
                tagId: components["parameters"]["TagId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The item, no longer carrying the tag. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "Cache-Control": components["headers"]["NoStore"];
                    ETag: components["headers"]["ETag"];
                    "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Item"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            406: components["responses"]["NotAcceptable"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listTags: {
        parameters: {
            query?: {
                /**
                 * @description Only those of this store.
                 * @example 01936d3e-7a8b-7c3d-9e4f-5a6b7c8d9e0f
                 */
                storeId?: components["parameters"]["StoreIdQuery"];
                /**
                 * @description Only tags whose name contains this text. Case is ignored for the letters A to Z only; `%` and `_` match
                 *     themselves. A text with three letters or digits (A-Z, a-z, 0-9) in a row is looked up in a trigram index
                 *     of names; any other text (shorter, or of other characters) is checked in at most 1,000 tags per page,
                 *     so its pages may be short; follow `next` until it is absent.
                 */
                q?: components["parameters"]["TagNameQuery"];
                /** @description The most results on one page. */
                limit?: components["parameters"]["Limit"];
                /**
                 * @description Where the page starts: copy it from the previous page's `next`. It is only valid with the same filters
                 *     and sort; a cursor this API did not issue, or used with other filters, is answered with 400.
                 */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: {
                /**
                 * @description ETags you hold (or `*`); if the current one is among them, the answer is 304 with no body. A value that
                 *     is not a list of entity tags is ignored, as RFC 9110 §13.1.2 has it: the request is answered as if it
                 *     had none.
                 */
                "If-None-Match"?: components["parameters"]["IfNoneMatch"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of tags. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "Cache-Control": components["headers"]["PublicRevalidate"];
                    ETag: components["headers"]["ETag"];
                    "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TagList"];
                };
            };
            /** @description The representation has not changed since the ETag you sent; use your copy. */
            304: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "Cache-Control": components["headers"]["PublicRevalidate"];
                    ETag: components["headers"]["ETag"];
                    "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            406: components["responses"]["NotAcceptable"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    createTag: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes a create safe to retry: send a unique key (a UUID, say), as a structured-field string (`"..."`,
                 *     as the IETF draft has it) or bare. The first request with a key creates; a retry with the same key and
                 *     body gets the first answer again (status, `Location`, body) and creates nothing. The same key with
                 *     another body is 422; a retry while the first request is still running (over 5 seconds) is 409 with
                 *     `Retry-After`. A first request that failed, or whose server died, leaves the key free again (at the
                 *     latest 10 seconds later). Keys belong to the caller (the signed-in user, or the client address where no
                 *     sign-in is needed) and to the operation (the same key sent to another operation is another request), and
                 *     are kept for 24 hours. The example key is one fixed value: sent again to the same operation with another
                 *     body, it gets that 422.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TagCreate"];
            };
        };
        responses: {
            /** @description The tag was created. `Location` is its URL. */
            201: {
                headers: {
                    Location: components["headers"]["TagLocation"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    "Cache-Control": components["headers"]["NoStore"];
                    ETag: components["headers"]["ETag"];
                    "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Tag"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            406: components["responses"]["NotAcceptable"];
            408: components["responses"]["RequestTimeout"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["Unprocessable"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getTag: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description ETags you hold (or `*`); if the current one is among them, the answer is 304 with no body. A value that
                 *     is not a list of entity tags is ignored, as RFC 9110 §13.1.2 has it: the request is answered as if it
                 *     had none.
                 */
                "If-None-Match"?: components["parameters"]["IfNoneMatch"];
            };
            path: {
                /**
                 * @description The tag's id.
                 * @example 01936d3e-9cad-7e5f-9a6b-7c8d9e0f1a2b
                 */
                tagId: components["parameters"]["TagId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The tag. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "Cache-Control": components["headers"]["PublicRevalidate"];
                    ETag: components["headers"]["ETag"];
                    "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Tag"];
                };
            };
            /** @description The representation has not changed since the ETag you sent; use your copy. */
            304: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "Cache-Control": components["headers"]["PublicRevalidate"];
                    ETag: components["headers"]["ETag"];
                    "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            404: components["responses"]["NotFound"];
            406: components["responses"]["NotAcceptable"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    deleteTag: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description The ETag you last saw (or `*`): the change is made only if it is still current, else 412 and nothing
                 *     changes. Weak tags never match, and neither does a value that is not an entity tag (412, like any tag
                 *     that is not current). `*` matches whatever is current. When the server requires it
                 *     (`REQUIRE_IF_MATCH`), leaving it out is 428.
                 * @example *
                 */
                "If-Match"?: components["parameters"]["IfMatch"];
            };
            path: {
                /**
                 * @description The tag's id.
                 * @example 01936d3e-9cad-7e5f-9a6b-7c8d9e0f1a2b
                 */
                tagId: components["parameters"]["TagId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The tag is gone. */
            204: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "Cache-Control": components["headers"]["NoStore"];
                    "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            412: components["responses"]["PreconditionFailed"];
            428: components["responses"]["PreconditionRequired"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    updateTag: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description The ETag you last saw (or `*`): the change is made only if it is still current, else 412 and nothing
                 *     changes. Weak tags never match, and neither does a value that is not an entity tag (412, like any tag
                 *     that is not current). `*` matches whatever is current. When the server requires it
                 *     (`REQUIRE_IF_MATCH`), leaving it out is 428.
                 * @example *
                 */
                "If-Match"?: components["parameters"]["IfMatch"];
            };
            path: {
                /**
                 * @description The tag's id.
                 * @example 01936d3e-9cad-7e5f-9a6b-7c8d9e0f1a2b
                 */
                tagId: components["parameters"]["TagId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/merge-patch+json": components["schemas"]["TagPatch"];
            };
        };
        responses: {
            /** @description The tag as it is after the change. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "Cache-Control": components["headers"]["NoStore"];
                    ETag: components["headers"]["ETag"];
                    "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Tag"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            406: components["responses"]["NotAcceptable"];
            408: components["responses"]["RequestTimeout"];
            409: components["responses"]["Conflict"];
            412: components["responses"]["PreconditionFailed"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            428: components["responses"]["PreconditionRequired"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    registerUser: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes a create safe to retry: send a unique key (a UUID, say), as a structured-field string (`"..."`,
                 *     as the IETF draft has it) or bare. The first request with a key creates; a retry with the same key and
                 *     body gets the first answer again (status, `Location`, body) and creates nothing. The same key with
                 *     another body is 422; a retry while the first request is still running (over 5 seconds) is 409 with
                 *     `Retry-After`. A first request that failed, or whose server died, leaves the key free again (at the
                 *     latest 10 seconds later). Keys belong to the caller (the signed-in user, or the client address where no
                 *     sign-in is needed) and to the operation (the same key sent to another operation is another request), and
                 *     are kept for 24 hours. The example key is one fixed value: sent again to the same operation with another
                 *     body, it gets that 422.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UserRegistration"];
            };
        };
        responses: {
            /** @description The account was created. `Location` is its URL. Sign in with `createToken`. */
            201: {
                headers: {
                    Location: components["headers"]["UserLocation"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    "Cache-Control": components["headers"]["NoStore"];
                    ETag: components["headers"]["ETag"];
                    "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            400: components["responses"]["BadRequest"];
            406: components["responses"]["NotAcceptable"];
            408: components["responses"]["RequestTimeout"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["Unprocessable"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getCurrentUser: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description ETags you hold (or `*`); if the current one is among them, the answer is 304 with no body. A value that
                 *     is not a list of entity tags is ignored, as RFC 9110 §13.1.2 has it: the request is answered as if it
                 *     had none.
                 */
                "If-None-Match"?: components["parameters"]["IfNoneMatch"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The signed-in user. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "Cache-Control": components["headers"]["NoStore"];
                    ETag: components["headers"]["ETag"];
                    "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            /** @description The representation has not changed since the ETag you sent; use your copy. */
            304: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "Cache-Control": components["headers"]["NoStore"];
                    ETag: components["headers"]["ETag"];
                    "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            406: components["responses"]["NotAcceptable"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    changePassword: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PasswordChange"];
            };
        };
        responses: {
            /** @description The password is changed and every other sign-in has ended. */
            204: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "Cache-Control": components["headers"]["NoStore"];
                    "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            408: components["responses"]["RequestTimeout"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["SignInThrottled"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getUser: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description ETags you hold (or `*`); if the current one is among them, the answer is 304 with no body. A value that
                 *     is not a list of entity tags is ignored, as RFC 9110 §13.1.2 has it: the request is answered as if it
                 *     had none.
                 */
                "If-None-Match"?: components["parameters"]["IfNoneMatch"];
            };
            path: {
                /**
                 * @description The user's id.
                 * @example 01936d3e-6f7a-7b2c-8d3e-4f5a6b7c8d9e
                 */
                userId: components["parameters"]["UserId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The user. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "Cache-Control": components["headers"]["NoStore"];
                    ETag: components["headers"]["ETag"];
                    "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            /** @description The representation has not changed since the ETag you sent; use your copy. */
            304: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "Cache-Control": components["headers"]["NoStore"];
                    ETag: components["headers"]["ETag"];
                    "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            406: components["responses"]["NotAcceptable"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    deleteUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The user's id.
                 * @example 01936d3e-6f7a-7b2c-8d3e-4f5a6b7c8d9e
                 */
                userId: components["parameters"]["UserId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The account, its stores and its tokens are gone. */
            204: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "Cache-Control": components["headers"]["NoStore"];
                    "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    createToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Credentials"];
            };
        };
        responses: {
            /** @description Signed in. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "Cache-Control": components["headers"]["NoStore"];
                    "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenPair"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            406: components["responses"]["NotAcceptable"];
            408: components["responses"]["RequestTimeout"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["SignInThrottled"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    revokeAllTokens: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every sign-in of the account has ended. */
            204: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "Cache-Control": components["headers"]["NoStore"];
                    "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    refreshToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RefreshTokenRequest"];
            };
        };
        responses: {
            /** @description A new pair of tokens; the refresh token sent is spent. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "Cache-Control": components["headers"]["NoStore"];
                    "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenPair"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            406: components["responses"]["NotAcceptable"];
            408: components["responses"]["RequestTimeout"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    revokeToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RevokeTokenRequest"];
            };
        };
        responses: {
            /** @description Signed out. */
            204: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    "Cache-Control": components["headers"]["NoStore"];
                    "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            408: components["responses"]["RequestTimeout"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    checkLiveness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The process is alive. */
            200: {
                headers: {
                    "Cache-Control": components["headers"]["NoStore"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
            400: components["responses"]["BadRequest"];
            406: components["responses"]["NotAcceptable"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    checkReadiness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ready to serve. */
            200: {
                headers: {
                    "Cache-Control": components["headers"]["NoStore"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
            400: components["responses"]["BadRequest"];
            406: components["responses"]["NotAcceptable"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
}
