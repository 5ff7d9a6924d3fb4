FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /scolarite .

FROM debian:bookworm-slim
COPY --from=build /scolarite /usr/local/bin/scolarite
ENV TERM=xterm-256color
ENTRYPOINT ["scolarite"]
