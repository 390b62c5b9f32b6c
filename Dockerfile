# First version: runs the bot with its dependencies (the hardened multi-stage image comes later).
FROM node:20-bookworm-slim
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY src ./src
COPY adapters ./adapters
COPY content ./content
ENV NODE_ENV=production
USER node
CMD ["node", "--import", "tsx", "adapters/main.ts"]
